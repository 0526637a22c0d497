"""What the resident reads about the hand-off (French, short, honest about hours)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.french_dates import relative_when as when_label
from bot.language.texts import localize
from bot.sites import Site
from bot.text import normalize

CANCEL_WORDS = frozenset({"annuler", "annule", "annulez", "anuler", "annulation", "stop attente", "laisse tomber"})
CANCEL_HINT = "Pour ne plus attendre, écrivez ANNULER."


def is_cancel(text: str | None) -> bool:
    """Whether a resident's message asks to stop waiting ("annuler", "ANNULE", ...)."""
    if not text:
        return False
    return normalize(text).strip(" .!") in CANCEL_WORDS


POSITION_NEXT = "Vous êtes le prochain dans la file d'attente."
POSITION_N = "Vous êtes n°{position} dans la file d'attente."
ANSWER_SOON = "Il vous répondra ici dès que possible."
ABSENT = "Les médiateurs sont absents en ce moment."
ANSWER_ON_RETURN = "Ils vous répondront ici dès leur retour."
REGISTERED = "Votre demande est bien enregistrée."


def position_text(position: int | None, language: str = "fr") -> str:
    """The resident's place in the queue (in ``language``: translations/handoff.yml)."""
    if not position or position <= 1:
        return localize(POSITION_NEXT, language)
    if language == "fr":
        return POSITION_N.format(position=position)
    return localize(POSITION_N, language).format(position=position)


INTRO = "Je vous passe un médiateur, une personne de l'équipe PIMMS."
INTRO_URGENT = "Je préviens un médiateur en priorité."
FALLBACK_INTRO = "Je n'arrive toujours pas à vous aider, désolé. Je vous passe un médiateur de l'équipe PIMMS."
CALLBACK_OFFER = "Vous préférez être rappelé ? Répondez RDV pour prendre un rendez-vous."


def waiting_messages(
    position: int | None, site: Site, now: datetime, tz: ZoneInfo, intro: str = INTRO, language: str = "fr"
) -> list[str]:
    """Messages after a hand-off request: place in the queue and when a mediator will answer. In another language
    than French, "when they are back" stands for the French date of the next opening."""
    intro, hint = localize(intro, language), localize(CANCEL_HINT, language)
    if site.is_open_at(now, tz):
        return [f"{intro} {position_text(position, language)} {localize(ANSWER_SOON, language)}", hint]
    opening = site.next_opening(now, tz)
    if opening is None or language != "fr":
        answer = localize(ANSWER_ON_RETURN, language)
    else:
        answer = f"Ils vous répondront ici {when_label(opening, now, tz)}."
    return [f"{intro} {localize(ABSENT, language)} {answer}", f"{localize(CALLBACK_OFFER, language)} {hint}"]


def already_waiting(position: int | None, language: str = "fr") -> str:
    """Reply to a repeated request while already in the queue."""
    return f"{localize(REGISTERED, language)} {position_text(position, language)} {localize(CANCEL_HINT, language)}"


CANCELLED = "D'accord, vous n'attendez plus. Je suis l'assistant automatique : posez-moi votre question."
HANDED_BACK = "Le médiateur vous repasse à l'assistant automatique. Vous pouvez continuer ici."
CLOSED = "La conversation avec le médiateur est terminée. Vous pouvez m'écrire à tout moment."
CLAIMED = "Bonjour, un médiateur PIMMS prend votre demande. Il vous répond ici."


RECEIVED = "Votre message est bien reçu."


def acknowledgement(position: int | None, site: Site, now: datetime, tz: ZoneInfo, language: str = "fr") -> str:
    """Short reply to a message written while waiting for a mediator: place in the queue or when."""
    if language != "fr":  # issue 23: the place in the queue, or "when they are back", in the resident's language
        if site.is_open_at(now, tz):
            return (
                f"{localize(RECEIVED, language)} {position_text(position, language)} {localize(ANSWER_SOON, language)}"
            )
        return f"{localize(RECEIVED, language)} {localize(ABSENT, language)} {localize(ANSWER_ON_RETURN, language)}"
    if site.is_open_at(now, tz):
        return f"{RECEIVED} {position_text(position)} Un médiateur vous répond ici dès que possible."
    opening = site.next_opening(now, tz)
    when = "dès leur retour" if opening is None else when_label(opening, now, tz)
    return f"{RECEIVED} Les médiateurs sont absents. Ils vous répondront ici {when}."


DANGER_SEEN = "Je préviens un médiateur en priorité. Restez en sécurité."
BACK_IN_QUEUE = (
    "Le médiateur n'est plus disponible. Votre demande reste dans la file d'attente : "
    "un autre médiateur vous répondra ici."
)


def back_in_queue(site: Site, now: datetime, tz: ZoneInfo) -> str:
    """A held conversation went back to the queue (inactivity): who answers, and when."""
    if site.is_open_at(now, tz):
        return BACK_IN_QUEUE
    opening = site.next_opening(now, tz)
    when = "dès leur retour" if opening is None else when_label(opening, now, tz)
    gone = "Le médiateur n'est plus disponible. Votre demande reste dans la file d'attente :"
    return f"{gone} un médiateur vous répondra ici {when}."
