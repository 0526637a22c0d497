"""French dates and hours as residents read them: the one module that formats them.

``9h``, ``13h30``, ``mardi 1er décembre``, ``mardi 1er décembre à 9h30``, ``demain à 9h``.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

WEEKDAYS_FR = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MONTHS_FR = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def hour_label(moment: time | datetime) -> str:
    """``9h``, ``13h30`` (wall-clock time as given)."""
    return f"{moment.hour}h{moment.minute:02d}" if moment.minute else f"{moment.hour}h"


def span_label(start: time, end: time) -> str:
    """``9h-12h``, ``13h30-17h``."""
    return f"{hour_label(start)}-{hour_label(end)}"


def day_label(day: date) -> str:
    """``mardi 1er décembre`` (the first of the month is ``1er``)."""
    number = "1er" if day.day == 1 else str(day.day)
    return f"{WEEKDAYS_FR[day.weekday()]} {number} {MONTHS_FR[day.month - 1]}"


def when_label(moment: datetime) -> str:
    """``mardi 1er décembre à 9h30`` (wall-clock time as given)."""
    return f"{day_label(moment)} à {hour_label(moment)}"


def relative_when(moment: datetime, now: datetime, tz: ZoneInfo) -> str:
    """``à 14h`` (today), ``demain à 9h`` or ``lundi 1er décembre à 9h``, in local time."""
    local, today = moment.astimezone(tz), now.astimezone(tz).date()
    if local.date() == today:
        return f"à {hour_label(local)}"
    if local.date() == today + timedelta(days=1):
        return f"demain à {hour_label(local)}"
    return when_label(local)


def days_label(days: int) -> str:
    """A booking horizon: ``4 semaines``, ``1 semaine``, ``10 jours``."""
    if days % 7 == 0:
        weeks = days // 7
        return f"{weeks} semaine" + ("s" if weeks > 1 else "")
    return f"{days} jour" + ("s" if days > 1 else "")


def relative_day(day: date, today: date) -> str:
    """``aujourd'hui``, ``demain``, a weekday within the week, else ``lundi 1er décembre``."""
    if day == today:
        return "aujourd'hui"
    if day == today + timedelta(days=1):
        return "demain"
    if day < today + timedelta(days=7):
        return WEEKDAYS_FR[day.weekday()]
    return day_label(day)
