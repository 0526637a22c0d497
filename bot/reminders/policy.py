"""When a reminder may go out: opening days (not Sunday, not a public holiday) from 9:00 to 19:00 Paris time,
at most one per resident per day and three per rolling week, never at or after its deadline.

Pure functions: the instants are passed in (the worker's clock), the history of what was sent too. Every moment
is built from Paris wall-clock dates and hours, so a DST change moves nothing: 9:00 stays 9:00.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal

from bot.clock import PARIS
from bot.public_holidays import is_public_holiday

OPENS = time(9, 0)
CLOSES = time(19, 0)
PER_DAY = 1
PER_WEEK = 3
WEEK = timedelta(days=7)


def is_opening_day(day: date) -> bool:
    """Reminders go out Monday to Saturday, except French public holidays."""
    return day.weekday() != 6 and not is_public_holiday(day)


def _at(day: date, hour: time) -> datetime:
    return datetime.combine(day, hour, tzinfo=PARIS)


def is_allowed(moment: datetime) -> bool:
    """Whether a reminder may go out at this instant."""
    local = moment.astimezone(PARIS)
    return is_opening_day(local.date()) and OPENS <= local.time() < CLOSES


def next_allowed(moment: datetime) -> datetime:
    """The first allowed instant at or after ``moment`` (Paris time)."""
    local = moment.astimezone(PARIS)
    day = local.date()
    if is_opening_day(day) and local.time() < CLOSES:
        return local if local.time() >= OPENS else _at(day, OPENS)
    day += timedelta(days=1)
    while not is_opening_day(day):
        day += timedelta(days=1)
    return _at(day, OPENS)


def next_day_allowed(moment: datetime) -> datetime:
    """The first allowed instant of the next opening day (after a resident's daily cap was reached)."""
    day = moment.astimezone(PARIS).date() + timedelta(days=1)
    return next_allowed(_at(day, time(0, 0)))


@dataclass(frozen=True)
class Decision:
    """``send`` now; ``wait`` until ``at`` (``reason``: hours, cap_day, cap_week); ``skip`` (``reason``:
    deadline, cap_day, cap_week: counted, never sent late)."""

    action: Literal["send", "wait", "skip"]
    at: datetime | None = None
    reason: str = ""


def caps_allow(moment: datetime, sent: Iterable[datetime]) -> str:
    """Which cap stops one more reminder at ``moment`` ("day" or "week"), or "" when none does."""
    local = moment.astimezone(PARIS)
    times = [s.astimezone(PARIS) for s in sent]
    if sum(1 for s in times if s.date() == local.date()) >= PER_DAY:
        return "day"
    if sum(1 for s in times if local - WEEK < s <= local) >= PER_WEEK:
        return "week"
    return ""


def decide(now: datetime, due: datetime, deadline: datetime, sent: Iterable[datetime]) -> Decision:
    """What to do with a reminder at ``now``, given when the resident's last reminders went out."""
    history = list(sent)
    moment = next_allowed(max(now, due))
    if moment >= deadline:
        return Decision("skip", reason="deadline")
    if moment > now:
        return Decision("wait", moment, reason="hours")
    cap = caps_allow(now, history)
    if not cap:
        return Decision("send", now)
    later = next_day_allowed(now)
    if cap == "week":
        oldest = sorted(s for s in history if now - WEEK < s <= now)[-PER_WEEK]
        later = max(later, next_allowed(oldest + WEEK))
    if later >= deadline:
        return Decision("skip", reason=f"cap_{cap}")
    return Decision("wait", later, reason=f"cap_{cap}")
