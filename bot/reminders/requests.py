"""What a resident asks for in plain words: "prévenez-moi pour l'actualisation", "rappelez-moi le 15 janvier pour
la préfecture", "ma carte expire le 15/03/2027", "RAPPEL octobre" (the month of the last quarterly declaration).

Pure functions of the text and today's date (Paris): the conversation (``bot.reminders.conversation``) turns the
request into an offer the resident accepts with OUI.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from bot.french_dates import MONTHS_FR
from bot.reminders.programmes import Programme
from bot.text import normalize

_MONTHS = {m: i for i, m in enumerate((normalize(m) for m in MONTHS_FR), start=1)}
_MONTHS.update({"janv": 1, "fev": 2, "fevr": 2, "avr": 4, "juil": 7, "sept": 9, "oct": 10, "nov": 11, "dec": 12})
_MONTH_WORDS = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}})(?: ?er)? ({_MONTH_WORDS})\b(?: (\d{{4}}))?")
_NUMERIC = re.compile(r"\b(\d{1,2}) (\d{1,2})(?: (\d{2}|\d{4}))?\b")
_MONTH_ONLY = re.compile(rf"\b({_MONTH_WORDS})\b(?: (\d{{4}}))?")

_ACTUALISATION = re.compile(r"\b(?:actualis\w*|actuali\w*|pointage|pointer|m actualiser)\b")
_QUARTERLY = re.compile(r"\b(?:trimestriel\w*|dtr|rsa|prime d activite|prime activite|declaration caf|ressources)\b")
_PERMIT = re.compile(
    r"\b(?:titre de sejour|titre|carte de sejour|carte de resident|sejour|expire\w*|expiration|"
    r"fin de validite|renouvel\w*|prefecture|anef)\b|\bcarte\b(?! (?:vitale|grise|bancaire|d identite|identite))"
)
_ONE_OFF = re.compile(r"\b(?:rappel\w*|prevenez|previens|prevenir|pensez|penser)\b")
_EXPIRY = re.compile(r"\b(?:expire\w*|expiration|fin de validite|valable jusqu|se termine|fin de ma carte|finit)\b")
_OTHER_CARD = re.compile(r"\b(?:carte vitale|carte grise|carte bancaire|carte d identite|passeport|permis)\b")


@dataclass(frozen=True)
class Request:
    """A reminder asked for: the programme, and the date or month the text gave (None: to ask)."""

    programme: Programme
    day: date | None = None
    last_declaration: date | None = None


def _year(raw: str | None) -> int | None:
    if not raw:
        return None
    value = int(raw)
    return value + 2000 if value < 100 else value


def _make(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_day(text: str, today: date) -> date | None:
    """The first date of a message ("15 janvier", "1er mars 2027", "15/03/2027", "15.03.27"); without a year,
    the next such day from today (today included)."""
    norm = normalize(text).replace("1er", "1")
    match = _DAY_MONTH.search(norm)
    if match:
        day, month, year = int(match.group(1)), _MONTHS[match.group(2)], _year(match.group(3))
    else:
        numeric = _NUMERIC.search(norm)
        if not numeric:
            return None
        day, month, year = int(numeric.group(1)), int(numeric.group(2)), _year(numeric.group(3))
        if not 1 <= month <= 12:
            return None
    if year is not None:
        return _make(year, month, day)
    found = _make(today.year, month, day)
    if found is not None and found < today:
        found = _make(today.year + 1, month, day)
    return found


def parse_month(text: str, today: date) -> date | None:
    """A month named alone ("octobre", "en octobre 2026"): its first day, the latest such month up to today (the
    month of a declaration already made)."""
    match = _MONTH_ONLY.search(normalize(text))
    if not match:
        return None
    month, year = _MONTHS[match.group(1)], _year(match.group(2))
    if year is None:
        year = today.year if month <= today.month else today.year - 1
    return date(year, month, 1)


def parse_request(text: str, today: date) -> Request | None:
    """The reminder a message asks for, or None when it names none."""
    norm = normalize(text)
    day = parse_day(text, today)
    if _ACTUALISATION.search(norm):
        return Request(Programme.ACTUALISATION)
    if _QUARTERLY.search(norm):
        last = day or parse_month(text, today)
        return Request(Programme.QUARTERLY, last_declaration=last)
    if not _OTHER_CARD.search(norm) and (_EXPIRY.search(norm) or (_PERMIT.search(norm) and day is None)):
        return Request(Programme.RESIDENCE_PERMIT, day=day)
    if day is not None and (_ONE_OFF.search(norm) or _PERMIT.search(norm)):
        return Request(Programme.ONE_OFF, day=day)
    return None


def parse_detail(text: str, today: date, programme: Programme) -> Request | None:
    """The detail asked for after an accepted offer: the card's expiry date, the last declaration's month, a date
    ("RAPPEL 15/03/2027", "RAPPEL octobre"); None when the text gives none."""
    if programme == Programme.QUARTERLY:
        last = parse_day(text, today) or parse_month(text, today)
        return Request(programme, last_declaration=last) if last else None
    day = parse_day(text, today)
    return Request(programme, day=day) if day else None
