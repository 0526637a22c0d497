"""The sending rules: opening days 9:00-19:00 Paris time, never after the deadline, one a day, three a week."""

from __future__ import annotations

from datetime import timedelta, timezone

from bot.reminders.policy import caps_allow, decide, is_allowed, next_allowed

from .conftest import paris


def test_a_reminder_due_at_night_goes_out_at_nine() -> None:
    assert next_allowed(paris(2027, 1, 12, 0)) == paris(2027, 1, 12, 9)  # a Tuesday
    assert next_allowed(paris(2027, 1, 12, 18, 59)) == paris(2027, 1, 12, 18, 59)
    assert next_allowed(paris(2027, 1, 12, 19)) == paris(2027, 1, 13, 9)


def test_saturday_is_allowed_sunday_is_not() -> None:
    assert is_allowed(paris(2027, 1, 16, 10))
    assert next_allowed(paris(2027, 1, 16, 19, 30)) == paris(2027, 1, 18, 9)


def test_dst_spring_forward_keeps_nine_oclock_paris_time() -> None:
    # Sunday 28 March 2027 (Easter): clocks go from 2:00 to 3:00; Monday 29 is Easter Monday, a holiday.
    # Due that night -> Tuesday 9:00 CEST (7:00 UTC).
    moment = next_allowed(paris(2027, 3, 28, 0))
    assert moment == paris(2027, 3, 30, 9)
    assert moment.astimezone(timezone.utc).hour == 7
    # The evening before the change, 18:30 CET is still allowed; 19:00 is not.
    assert is_allowed(paris(2027, 3, 27, 18, 30)) and not is_allowed(paris(2027, 3, 27, 19))


def test_dst_fall_back_keeps_nineteen_oclock_paris_time() -> None:
    # Sunday 31 October 2027 (clocks back), then Monday 1 November, a holiday: Tuesday 9:00 CET (8:00 UTC).
    moment = next_allowed(paris(2027, 10, 30, 19, 0))
    assert moment == paris(2027, 11, 2, 9)
    assert moment.astimezone(timezone.utc).hour == 8


def test_eve_of_a_public_holiday_the_reminder_waits_or_is_skipped_at_its_deadline() -> None:
    eve = paris(2027, 7, 13, 19, 30)  # Tuesday evening; Wednesday 14 July is a holiday
    assert decide(eve, eve, paris(2027, 7, 20), []).at == paris(2027, 7, 15, 9)
    skipped = decide(eve, eve, paris(2027, 7, 15), [])
    assert skipped.action == "skip" and skipped.reason == "deadline"


def test_due_now_in_hours_is_sent() -> None:
    now = paris(2027, 1, 12, 10)
    assert decide(now, paris(2027, 1, 12), paris(2027, 1, 20), []).action == "send"


def test_one_reminder_a_day() -> None:
    now = paris(2027, 1, 12, 11)
    sent = [paris(2027, 1, 12, 9)]
    assert caps_allow(now, sent) == "day"
    assert decide(now, now, paris(2027, 1, 20), sent).at == paris(2027, 1, 13, 9)
    assert decide(now, now, paris(2027, 1, 13), sent).reason == "cap_day"


def test_three_reminders_a_rolling_week() -> None:
    sent = [paris(2027, 1, 11, 10), paris(2027, 1, 12, 10), paris(2027, 1, 13, 10)]
    now = paris(2027, 1, 14, 10)
    assert caps_allow(now, sent) == "week"
    assert decide(now, now, paris(2027, 2, 1), sent).at == paris(2027, 1, 18, 10)
    assert caps_allow(paris(2027, 1, 18, 10), sent) == ""
    assert caps_allow(paris(2027, 1, 18, 10) - timedelta(minutes=1), sent) == "week"
