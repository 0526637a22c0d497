"""When reminders go: 18:00 the day before, else 08:00 the same day, never too late; DST-safe."""

from __future__ import annotations

from datetime import timedelta, timezone

from bot.booking.reminders import reminder_job_id, reminder_time

from .conftest import PARIS, paris


def test_evening_before() -> None:
    assert reminder_time(paris(2026, 12, 2, 9, 0), paris(2026, 11, 27, 10, 0), PARIS) == paris(2026, 12, 1, 18, 0)


def test_booked_late_gets_a_morning_reminder() -> None:
    assert reminder_time(paris(2026, 12, 2, 14, 0), paris(2026, 12, 1, 20, 0), PARIS) == paris(2026, 12, 2, 8, 0)


def test_too_late_for_any_reminder() -> None:
    assert reminder_time(paris(2026, 12, 2, 9, 0), paris(2026, 12, 1, 20, 0), PARIS) == paris(2026, 12, 2, 8, 0)
    assert reminder_time(paris(2026, 12, 2, 8, 30), paris(2026, 12, 1, 20, 0), PARIS) is None
    assert reminder_time(paris(2026, 12, 2, 9, 0), paris(2026, 12, 2, 7, 56), PARIS) is None


def test_across_both_dst_changes_the_wall_clock_hour_is_kept() -> None:
    spring = reminder_time(paris(2026, 3, 30, 9, 0), paris(2026, 3, 27, 9, 0), PARIS)
    assert spring == paris(2026, 3, 29, 18, 0) and spring.utcoffset() == timedelta(hours=2)
    autumn = reminder_time(paris(2026, 10, 26, 9, 0), paris(2026, 10, 23, 9, 0), PARIS)
    assert autumn.astimezone(timezone.utc).hour == 17 and autumn.utcoffset() == timedelta(hours=1)


def test_job_id_is_deterministic_per_booking() -> None:
    assert reminder_job_id("K7M4QZ") == reminder_job_id("K7M4QZ") != reminder_job_id("K7M4QA")
