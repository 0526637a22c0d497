"""The reminders' own keywords (RAPPELS, FAIT, STOP RAPPEL(S) [n], RAPPEL <date>) and requests in plain words, as
intents: ``components.commands.CommandKeywords`` gives them first, so no classifier guesses them.

"STOP RAPPELS" itself is recognised in ``bot.optout_intent`` (:func:`reminders_stop`, a base module), which must not
read it as STOP (everything). Normalised text in (``bot.text.normalize``).
"""

from __future__ import annotations

import re
from datetime import date

from bot.optout_intent import reminders_stop

LIST_WORDS = frozenset({"rappels", "mes rappels", "voir mes rappels", "liste rappels", "liste des rappels"})
DONE_WORDS = frozenset({"fait", "c est fait", "cest fait", "c fait", "deja fait", "fait merci", "ok fait", "fait svp"})
_MONTH = r"janv\w*|fev\w*|mars|avr\w*|mai|juin|juil\w*|aout|sept\w*|oct\w*|nov\w*|dec\w*"  # a month, for RAPPEL octobre
_DETAIL = re.compile(r"^rappel (?:le |du |au |pour le |fin )?(?:\d|(?:" + _MONTH + r")\b)")


# Asking to be reminded: "prévenez-moi", "rappelez-moi le 15 janvier", "je veux un rappel"... Alone, "rappelez-moi"
# is a call back (hand-off): the request must also name a programme or a date (bot.reminders.requests).
_ASK = re.compile(
    r"\b(?:prevenez|previens|prevenir|rappelez moi|rappelle moi|rappeler de|envoyez moi un rappel|"
    r"(?:un|des|mes) rappels?|faites moi un rappel)\b"
)
_MAX_REQUEST_WORDS = 25
_ANY_DAY = date(2000, 1, 1)  # only whether a programme or a date is named matters here


def asks_for_reminder(norm: str) -> bool:
    """Whether a (normalised) message asks for a deadline reminder in plain words."""
    if len(norm.split()) > _MAX_REQUEST_WORDS or not _ASK.search(norm):
        return False
    from bot.reminders.requests import parse_request  # the parser reads the programmes' words

    return parse_request(norm, _ANY_DAY) is not None


def reminder_intent(norm: str) -> str | None:
    """The intent of a message that is a reminders keyword: RAPPELS, FAIT, STOP RAPPEL(S) [n], RAPPEL alone or
    RAPPEL with a date or a month (the detail an offer asked for), or a request for a reminder naming a programme
    or a date ("prévenez-moi pour l'actualisation"); None otherwise."""
    if reminders_stop(norm)[0]:
        return "reminders_stop"
    if norm in LIST_WORDS:
        return "reminders_list"
    if norm in DONE_WORDS:
        return "reminders_done"
    if norm == "rappel" or _DETAIL.match(norm) or asks_for_reminder(norm):
        return "reminders_request"
    return None
