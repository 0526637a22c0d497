"""Reminders never go at night: send, postpone to 08:00, or skip (fixed clocks, DST and year end)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.booking.reminder_guard import decide, quiet_until

PARIS = ZoneInfo("Europe/Paris")


def at(y: int, mo: int, d: int, h: int, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=PARIS)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (at(2026, 12, 1, 8, 0), None),
        (at(2026, 12, 1, 20, 59), None),
        (at(2026, 12, 1, 21, 0), at(2026, 12, 2, 8)),
        (at(2026, 12, 1, 23, 30), at(2026, 12, 2, 8)),
        (at(2026, 12, 2, 3, 0), at(2026, 12, 2, 8)),
        (at(2026, 12, 31, 22, 0), at(2027, 1, 1, 8)),
        (at(2026, 3, 28, 23, 0), at(2026, 3, 29, 8)),  # night of the DST change
    ],
)
def test_quiet_hours_are_21h_to_8h_paris(now: datetime, expected: datetime | None) -> None:
    assert quiet_until(now, PARIS) == expected


def test_quiet_hours_are_read_in_paris_time_whatever_the_clock_zone() -> None:
    utc_evening = datetime.fromisoformat("2026-07-01T19:30:00+00:00")  # 21:30 in Paris (summer time)
    assert quiet_until(utc_evening, PARIS) == at(2026, 7, 2, 8)


def test_daytime_reminder_is_sent() -> None:
    assert decide(at(2026, 12, 2, 10), at(2026, 12, 1, 18), PARIS).action == "send"


def test_night_reminder_is_postponed_to_8h_before_the_slot() -> None:
    decision = decide(at(2026, 12, 2, 10), at(2026, 12, 1, 23, 30), PARIS)
    assert decision.action == "postpone" and decision.until == at(2026, 12, 2, 8)


def test_night_reminder_is_skipped_when_the_slot_is_before_8h() -> None:
    assert decide(at(2026, 12, 2, 7, 45), at(2026, 12, 2, 1), PARIS).action == "skip"


def test_past_slot_is_skipped() -> None:
    assert decide(at(2026, 12, 2, 10), at(2026, 12, 2, 10, 5), PARIS).action == "skip"
