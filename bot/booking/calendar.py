"""Slot calendar: opening spans, French public holidays, lead time, horizon, DST-safe wall-clock slots."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from bot.booking.motives import BookingRules
from bot.sites import Site

UTC = timezone.utc


@dataclass(frozen=True)
class Slot:
    """A bookable period at a site (aware local datetimes)."""

    site_id: str
    start: datetime
    end: datetime

    @property
    def key(self) -> str:
        """Stable local wall-clock key, e.g. ``2026-12-01T09:00``."""
        return self.start.strftime("%Y-%m-%dT%H:%M")


def _exists(naive: datetime, tz: ZoneInfo) -> bool:
    """Whether a wall-clock time exists in ``tz`` (false inside the spring-forward gap)."""
    aware = naive.replace(tzinfo=tz)
    return aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None) == naive


def day_slots(site: Site, day: date, duration_minutes: int, granularity_minutes: int, tz: ZoneInfo) -> list[Slot]:
    """All slots of a day that fit entirely inside an opening span (``Site.spans_on``: none on holidays)."""
    duration = timedelta(minutes=duration_minutes)
    step = timedelta(minutes=granularity_minutes)
    slots = []
    for span in site.spans_on(day):
        cursor = datetime.combine(day, span.start)
        span_end = datetime.combine(day, span.end)
        while cursor + duration <= span_end:
            end = cursor + duration
            if _exists(cursor, tz) and _exists(end, tz):
                slots.append(Slot(site.id, cursor.replace(tzinfo=tz, fold=0), end.replace(tzinfo=tz, fold=0)))
            cursor += step
    return slots


def cell_keys(slot: Slot, granularity_minutes: int) -> list[str]:
    """The ``HH:MM`` capacity cells a slot occupies (wall clock, one per granularity step)."""
    step = timedelta(minutes=granularity_minutes)
    cursor = slot.start.replace(tzinfo=None)
    end = slot.end.replace(tzinfo=None)
    keys = []
    while cursor < end:
        keys.append(cursor.strftime("%H:%M"))
        cursor += step
    return keys


def bookable_days(now: datetime, rules: BookingRules, tz: ZoneInfo) -> list[date]:
    """Days from today to the horizon (inclusive)."""
    today = now.astimezone(tz).date()
    return [today + timedelta(days=i) for i in range(rules.horizon_days + 1)]


def candidate_slots(
    site: Site, duration_minutes: int, rules: BookingRules, now: datetime, tz: ZoneInfo
) -> Iterator[Slot]:
    """Slots respecting lead time and horizon, in chronological order (capacity not checked)."""
    earliest = now.astimezone(UTC) + timedelta(minutes=rules.lead_time_minutes)
    for day in bookable_days(now, rules, tz):
        for slot in day_slots(site, day, duration_minutes, rules.granularity_minutes, tz):
            if slot.start.astimezone(UTC) >= earliest:
                yield slot


def is_bookable(
    slot: Slot, site: Site, duration_minutes: int, rules: BookingRules, now: datetime, tz: ZoneInfo
) -> bool:
    """Whether a slot is still valid now (exists, lead time, horizon), capacity aside."""
    day = slot.start.date()
    if day not in bookable_days(now, rules, tz):
        return False
    keys = {s.key for s in candidate_slots_on(site, day, duration_minutes, rules, now, tz)}
    return slot.key in keys


def candidate_slots_on(
    site: Site, day: date, duration_minutes: int, rules: BookingRules, now: datetime, tz: ZoneInfo
) -> list[Slot]:
    """Candidate slots of one day (lead time applied)."""
    earliest = now.astimezone(UTC) + timedelta(minutes=rules.lead_time_minutes)
    return [
        s
        for s in day_slots(site, day, duration_minutes, rules.granularity_minutes, tz)
        if s.start.astimezone(UTC) >= earliest
    ]
