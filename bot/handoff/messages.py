"""What the resident reads about the hand-off (French, short, honest about hours)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.french_dates import relative_when as when_label
from bot.sites import Site
from bot.text import normalize

CANCEL_WORDS = frozenset({"annuler", "annule", "annulez", "anuler", "annulation", "stop attente", "laisse tomber"})
CANCEL_HINT = "Pour ne plus attendre, écrivez ANNULER."


def is_cancel(text: str | None) -> bool:
    """Whether a resident's message asks to stop waiting ("annuler", "ANNULE", ...)."""
    if not text:
        return False
    return normalize(text).strip(" .!") in CANCEL_WORDS


def position_text(position: int | None) -> str:
    """The resident's place in the queue."""
    if not position or position <= 1:
        return "Vous êtes le prochain dans la file d'attente."
    return f"Vous êtes n°{position} dans la file d'attente."


INTRO = "Je vous passe un médiateur, une personne de l'équipe PIMMS."
INTRO_URGENT = "Je préviens un médiateur en priorité."
FALLBACK_INTRO = "Je n'arrive toujours pas à vous aider, désolé. Je vous passe un médiateur de l'équipe PIMMS."
CALLBACK_OFFER = "Vous préférez être rappelé ? Répondez RDV pour prendre un rendez-vous."


def waiting_messages(position: int | None, site: Site, now: datetime, tz: ZoneInfo, intro: str = INTRO) -> list[str]:
    """Messages after a hand-off request: place in the queue and when a mediator will answer."""
    if site.is_open_at(now, tz):
        return [f"{intro} {position_text(position)} Il vous répondra ici dès que possible.", CANCEL_HINT]
    opening = site.next_opening(now, tz)
    absent = "Les médiateurs sont absents en ce moment."
    when = "dès leur retour" if opening is None else when_label(opening, now, tz)
    return [f"{intro} {absent} Ils vous répondront ici {when}.", f"{CALLBACK_OFFER} {CANCEL_HINT}"]


def already_waiting(position: int | None) -> str:
    """Reply to a repeated request while already in the queue."""
    return f"Votre demande est bien enregistrée. {position_text(position)} {CANCEL_HINT}"


CANCELLED = "D'accord, vous n'attendez plus. Je suis l'assistant automatique : posez-moi votre question."
HANDED_BACK = "Le médiateur vous repasse à l'assistant automatique. Vous pouvez continuer ici."
CLOSED = "La conversation avec le médiateur est terminée. Vous pouvez m'écrire à tout moment."
CLAIMED = "Bonjour, un médiateur PIMMS prend votre demande. Il vous répond ici."


RECEIVED = "Votre message est bien reçu."


def acknowledgement(position: int | None, site: Site, now: datetime, tz: ZoneInfo) -> str:
    """Short reply to a message written while waiting for a mediator: place in the queue or when."""
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
