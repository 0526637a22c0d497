"""Choosing the few slots offered to the user, from free slots and what they asked for."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from bot.booking.calendar import Slot
from bot.booking.dates import DateWish


def _minutes(moment: datetime) -> int:
    return moment.hour * 60 + moment.minute


def _closest_first(slots: list[Slot], wish: DateWish | None) -> list[Slot]:
    if wish is None or wish.at is None:
        return slots
    target = wish.at.hour * 60 + wish.at.minute
    return sorted(slots, key=lambda s: (abs(_minutes(s.start) - target), s.start))


def _one_per_day(slots: Sequence[Slot], wish: DateWish | None, count: int) -> list[Slot]:
    by_day: dict[date, list[Slot]] = {}
    for slot in slots:
        by_day.setdefault(slot.start.date(), []).append(slot)
    picks = []
    for day in sorted(by_day):
        picks.append(_closest_first(by_day[day], wish)[0])
        if len(picks) == count:
            break
    return picks


def choose_offers(
    free: Sequence[Slot], wish: DateWish | None = None, after: date | None = None, count: int = 3
) -> list[Slot]:
    """Up to ``count`` slots: on the wished day first (period/time respected), then one per following day.

    ``free`` must be chronological. ``after`` ("autres jours") keeps only days strictly after it. A named
    weekday ("lundi") means the following week's when nothing fits on it (asked late, a holiday, a full day).
    """
    pool = [s for s in free if after is None or s.start.date() > after]
    day = wish.day if wish and wish.day and (after is None or wish.day > after) else None
    fitting = [s for s in pool if wish is None or wish.matches(s.start)]
    if wish is not None and wish.period and not fitting:
        fitting = pool
    if day is not None and wish is not None and wish.next_week is not None:
        if not any(s.start.date() == day for s in fitting):
            day = wish.next_week  # "lundi" with nothing left that Monday (past, holiday, full): the next one
    if day is not None:
        same_day = _closest_first([s for s in fitting if s.start.date() == day], wish)[:count]
        later = _one_per_day([s for s in fitting if s.start.date() > day], wish, count - len(same_day))
        picks = sorted(same_day, key=lambda s: s.start) + later
        if picks:
            return picks[:count]
    return _one_per_day(fitting, wish, count)
