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


# Withdrawals in plain words ("laissez tomber, c'est réglé", "plus besoin, j'ai trouvé"): a phrase anywhere in a
# short message that asks nothing. "c'est bon" alone is left out: it often only acknowledges the wait.
WITHDRAW_PHRASES = (
    "laissez tomber",
    "laisse tomber",
    "laisser tomber",
    "c est regle",
    "c regle",
    "cest regle",
    "c est resolu",
    "c resolu",
    "probleme regle",
    "probleme resolu",
    "j ai trouve",
    "jai trouve",
    "j ai reussi",
    "jai reussi",
    "plus besoin",
    "pas besoin finalement",
    "oubliez",
    "oubliez ma demande",
    "annulez ma demande",
    "annule ma demande",
    "annuler ma demande",
    "j attends plus",
    "n attends plus",
    "je n attend plus",
    "tant pis",
    "finalement non",
    "finalement c est bon",
    "je me debrouille",
    "je vais me debrouiller",
    "je me suis debrouille",
    "je me suis debrouillee",
)
MAX_WITHDRAW_WORDS = 14
_KEEP_WAITING = ("ne laissez pas", "pas laisser tomber", "pas tomber")


def _has_phrase(norm: str, phrases: tuple[str, ...]) -> bool:
    padded = f" {norm} "
    return any(f" {phrase} " in padded for phrase in phrases)


def is_cancel(text: str | None) -> bool:
    """Whether a resident's message asks to stop waiting ("annuler", "laissez tomber, c'est réglé"...)."""
    if not text:
        return False
    norm = normalize(text)
    if norm.strip(" .!") in CANCEL_WORDS:
        return True
    if "?" in text or len(norm.split()) > MAX_WITHDRAW_WORDS or _has_phrase(norm, _KEEP_WAITING):
        return False
    return _has_phrase(norm, WITHDRAW_PHRASES)


# A direct question about the wait ("ça va être long ?", "y a quelqu'un ?"): always answered with the place in
# the queue (at most once a minute), whatever the acknowledgement interval.
STATUS_PHRASES = (
    "ca va etre long",
    "c est long",
    "c long",
    "c est encore long",
    "encore long",
    "encore longtemps",
    "ca va etre longtemps",
    "combien de temps",
    "y a quelqu un",
    "il y a quelqu un",
    "ya quelqu un",
    "y a qqn",
    "ya qqn",
    "quelqu un",
    "qqn",
    "vous etes la",
    "vs etes la",
    "t es la",
    "tes la",
    "allo",
    "alo",
    "toujours personne",
    "y a personne",
    "il y a personne",
    "personne ne repond",
    "personne ne me repond",
    "j attends toujours",
    "j attends encore",
    "ca arrive quand",
    "c est pour quand",
    "c est quand",
    "vous repondez quand",
    "on me repond quand",
    "quand est ce qu on me repond",
    "ca avance",
    "des nouvelles",
    "toujours rien",
    "ma place",
    "mon tour",
    "quel numero",
    "je suis ou dans la file",
    "ou j en suis",
    "il arrive quand",
    "le mediateur arrive quand",
    "j attends depuis",
)
MAX_STATUS_WORDS = 12


def is_status_question(text: str | None) -> bool:
    """Whether a message written while waiting asks where the wait stands (is anyone there, how long)."""
    norm = normalize(text or "")
    if not norm or len(norm.split()) > MAX_STATUS_WORDS:
        return False
    return norm == "personne" or _has_phrase(norm, STATUS_PHRASES)


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


def status_line(position: int | None, site: Site, now: datetime, tz: ZoneInfo, language: str = "fr") -> str:
    """The short answer to a direct question while waiting: the place in the queue, and when if closed."""
    if language != "fr":  # issue 23
        when = ANSWER_SOON if site.is_open_at(now, tz) else ANSWER_ON_RETURN
        absent = "" if site.is_open_at(now, tz) else f" {localize(ABSENT, language)}"
        return f"{position_text(position, language)}{absent} {localize(when, language)}"
    if site.is_open_at(now, tz):
        return f"{position_text(position)} Un médiateur vous répond ici dès que possible."
    opening = site.next_opening(now, tz)
    when = "dès leur retour" if opening is None else when_label(opening, now, tz)
    return f"{position_text(position)} Les médiateurs sont absents : ils vous répondront ici {when}."


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
