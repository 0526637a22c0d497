"""Free French date/time wishes in SMS style: "demain matin", "lundi aprem", "le 3 décembre vers 10h"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import dateparser

from bot.french_dates import MONTHS_FR, WEEKDAYS_FR
from bot.text import normalize

WEEKDAYS = WEEKDAYS_FR
MONTHS = tuple(normalize(month) for month in MONTHS_FR)  # as typed without accents: "fevrier", "aout"
MORNING, AFTERNOON, EVENING = "matin", "apres-midi", "soir"
_MONTH_ABBREVIATIONS = {
    "janv": "janvier",
    "fev": "fevrier",
    "fevr": "fevrier",
    "avr": "avril",
    "juil": "juillet",
    "sept": "septembre",
    "oct": "octobre",
    "nov": "novembre",
    "dec": "decembre",
}
_PERIODS = (
    (re.compile(r"\b(matin|matinee|mat)\b"), MORNING),
    (re.compile(r"\b(apres ?midi|aprem|aprm|apm|aprs midi|ap midi)\b"), AFTERNOON),
    (re.compile(r"\b(soir|soiree|fin de journee)\b"), EVENING),
)
_TIME = re.compile(r"\b([01]?\d|2[0-3]) ?(?:h|heures?|:) ?([0-5]\d)?\b")
_NOON = re.compile(r"\bmidi\b")
_NUM_DATE = re.compile(r"\b(\d{1,2}) (\d{1,2})(?: (\d{2,4}))?\b")
_DAY_MONTH = re.compile(r"\b(\d{1,2}|1er) (" + "|".join((*MONTHS, *_MONTH_ABBREVIATIONS)) + r")\b")
_DATEPARSER_SETTINGS = {"PREFER_DATES_FROM": "future", "TIMEZONE": "Europe/Paris"}


@dataclass(frozen=True)
class DateWish:
    """What the user asked for: a day, a period of the day and/or a time (each optional)."""

    day: date | None = None
    period: str | None = None
    at: time | None = None
    # "lundi" written on a Monday: today, or next Monday when today has nothing left that fits.
    next_week: date | None = None

    def encode(self) -> str:
        """Compact text form for a conversation slot, e.g. ``2026-11-28|matin|`` (a 4th part: ``next_week``)."""
        parts = [
            self.day.isoformat() if self.day else "",
            self.period or "",
            self.at.strftime("%H:%M") if self.at else "",
        ]
        if self.next_week:
            parts.append(self.next_week.isoformat())
        return "|".join(parts)

    @classmethod
    def decode(cls, text: str | None) -> DateWish | None:
        """Inverse of ``encode`` (None for empty or malformed text)."""
        parts = (text or "").split("|")
        if len(parts) not in (3, 4):
            return None
        day, period, at = parts[:3]
        next_week = date.fromisoformat(parts[3]) if len(parts) == 4 and parts[3] else None
        return cls(
            date.fromisoformat(day) if day else None,
            period or None,
            time.fromisoformat(at) if at else None,
            next_week,
        )

    def matches(self, start: datetime) -> bool:
        """Whether a slot start fits the period or time asked."""
        hour = start.hour + start.minute / 60
        if self.period == MORNING and hour >= 12:
            return False
        if self.period == AFTERNOON and not 12 <= hour < 18:
            return False
        if self.period == EVENING and hour < 16:
            return False
        return True


def _weekday_day(text: str, today: date) -> date | None:
    for index, name in enumerate(WEEKDAYS):
        if re.search(rf"\b{name}\b", text):
            delta = (index - today.weekday()) % 7
            if delta == 0 and "prochain" in text:
                delta = 7
            return today + timedelta(days=delta)
    return None


def _explicit_day(text: str, today: date) -> date | None:
    """A day written with a month name or as d/m, via dateparser, always today or later."""
    match = _DAY_MONTH.search(text)
    if match:
        month = _MONTH_ABBREVIATIONS.get(match.group(2), match.group(2))
        raw = f"{match.group(1).replace('er', '')} {month}"
    else:
        numeric = _NUM_DATE.search(text)
        if not numeric or not 1 <= int(numeric.group(2)) <= 12:
            return None
        raw = "/".join(g for g in numeric.groups() if g)
    base = datetime.combine(today, time(12))
    parsed = dateparser.parse(raw, languages=["fr"], settings={**_DATEPARSER_SETTINGS, "RELATIVE_BASE": base})
    if parsed is None:
        return None
    day: date = parsed.date()
    if day < today:
        try:
            day = day.replace(year=day.year + 1)
        except ValueError:
            return None
    return day


def _day(text: str, today: date) -> date | None:
    if re.search(r"\bapres ?demain\b", text):
        return today + timedelta(days=2)
    if re.search(r"\b(demain|dem1|dmain)\b", text):
        return today + timedelta(days=1)
    if re.search(r"\b(aujourd ?hui|auj|ajd|ce (matin|soir)|cet (apres ?midi|aprem))\b", text):
        return today
    return _explicit_day(text, today) or _weekday_day(text, today)


def _time(text: str) -> time | None:
    stripped = _DAY_MONTH.sub(" ", _NUM_DATE.sub(" ", text)) if not re.search(r"\d ?h", text) else text
    match = _TIME.search(stripped)
    if match and ("h" in match.group(0) or ":" in match.group(0)):
        return time(int(match.group(1)), int(match.group(2) or 0))
    if _NOON.search(text) and not re.search(r"apres ?midi", text):
        return time(12)
    return None


def parse_wish(text: str, today: date) -> DateWish | None:
    """Parse a French date/time wish; None when the text names no day, period nor time."""
    norm = normalize(text)
    period = next((name for pattern, name in _PERIODS if pattern.search(norm)), None)
    at = _time(norm)
    day = _day(norm, today)
    if day is None and period is None and at is None:
        return None
    if period is None and at is not None:
        period = MORNING if at.hour < 12 else AFTERNOON
    named = day is not None and _weekday_day(norm, today) == day  # "lundi": the next Monday with room
    next_week = day + timedelta(days=7) if named and day is not None else None
    return DateWish(day=day, period=period, at=at, next_week=next_week)
