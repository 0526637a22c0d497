"""Slot generation: hours, holidays, closures, lead time, horizon, both DST changes."""

from __future__ import annotations

from datetime import date, timedelta, timezone
from itertools import islice

from bot.booking.calendar import candidate_slots, cell_keys, day_slots
from bot.booking.motives import BookingRules
from bot.public_holidays import is_public_holiday as is_holiday

from .conftest import PARIS, make_site, paris

RULES = BookingRules()


def test_slots_fit_inside_spans_on_the_granularity() -> None:
    slots = day_slots(make_site(), date(2026, 12, 1), 30, 30, PARIS)
    starts = [s.start.strftime("%H:%M") for s in slots]
    assert starts[:2] == ["09:00", "09:30"] and "11:30" in starts and "12:00" not in starts
    assert starts[6:8] == ["13:30", "14:00"] and starts[-1] == "16:30"
    assert len(slots) == 6 + 7


def test_one_hour_motive_never_overflows_a_span() -> None:
    slots = day_slots(make_site(), date(2026, 12, 1), 60, 30, PARIS)
    assert all(s.end.time() <= s.start.replace(hour=12, minute=0).time() or s.start.hour >= 13 for s in slots)
    assert [s.start.strftime("%H:%M") for s in slots][-1] == "16:00"
    assert "11:30" not in [s.start.strftime("%H:%M") for s in slots]


def test_holidays_closures_and_closed_days_have_no_slot() -> None:
    assert is_holiday(date(2026, 12, 25)) and is_holiday(date(2026, 11, 11))
    assert not is_holiday(date(2026, 12, 1))
    site = make_site(closures=(date(2026, 12, 2),))
    assert day_slots(site, date(2026, 12, 25), 30, 30, PARIS) == []  # Christmas, a Friday
    assert day_slots(site, date(2026, 12, 2), 30, 30, PARIS) == []  # exceptional closure
    assert day_slots(site, date(2026, 12, 5), 30, 30, PARIS) == []  # Saturday, closed
    assert day_slots(site, date(2027, 3, 29), 30, 30, PARIS) == []  # Easter Monday 2027


def test_lead_time_of_two_hours() -> None:
    now = paris(2026, 12, 1, 9, 10)
    first = next(candidate_slots(make_site(), 30, RULES, now, PARIS))
    assert first.start == paris(2026, 12, 1, 11, 30)


def test_late_in_the_day_moves_to_the_next_open_day() -> None:
    first = next(candidate_slots(make_site(), 30, RULES, paris(2026, 12, 4, 16, 0), PARIS))  # Friday
    assert first.start == paris(2026, 12, 7, 9, 0)


def test_horizon_of_four_weeks() -> None:
    now = paris(2026, 12, 1, 8, 0)
    slots = list(candidate_slots(make_site(), 30, RULES, now, PARIS))
    assert max(s.start.date() for s in slots) == date(2026, 12, 29)
    assert all(s.start.date() <= now.date() + timedelta(days=28) for s in slots)


def test_spring_forward_slots_keep_wall_clock_and_lead_time_counts_real_hours() -> None:
    site = make_site(hours={6: ["00:00-06:00"], 0: ["09:00-12:00"]})
    day = date(2026, 3, 29)
    starts = [s.start.strftime("%H:%M") for s in day_slots(site, day, 30, 30, PARIS)]
    assert "02:00" not in starts and "02:30" not in starts and "03:00" in starts
    now = paris(2026, 3, 29, 0, 30)  # 23:30 UTC; two real hours later is 03:30 CEST
    first = next(candidate_slots(site, 30, RULES, now, PARIS))
    assert first.start.strftime("%H:%M") == "03:30"
    assert first.start.astimezone(timezone.utc) - now.astimezone(timezone.utc) == timedelta(hours=2)
    monday = [s for s in candidate_slots(site, 30, RULES, now, PARIS) if s.start.date() == date(2026, 3, 30)]
    assert monday[0].start.utcoffset() == timedelta(hours=2) and monday[0].start.hour == 9


def test_fall_back_day_has_no_duplicate_and_correct_offsets() -> None:
    site = make_site(hours={6: ["00:00-06:00"], 0: ["09:00-12:00"]})
    slots = day_slots(site, date(2026, 10, 25), 30, 30, PARIS)
    keys = [s.key for s in slots]
    assert len(keys) == len(set(keys)) == 12
    before = list(islice(candidate_slots(site, 30, RULES, paris(2026, 10, 24, 20, 0), PARIS), 30))
    monday = next(s for s in before if s.start.date() == date(2026, 10, 26))
    assert monday.start.utcoffset() == timedelta(hours=1) and monday.start.hour == 9
    saturday_nine = paris(2026, 10, 24, 9, 0)
    assert saturday_nine.utcoffset() == timedelta(hours=2)
    now = paris(2026, 10, 25, 1, 0)  # CEST, 23:00 UTC; +2 real hours = 01:00 UTC = 02:00 CET
    first = next(candidate_slots(site, 30, RULES, now, PARIS))
    # 02:00 and 02:30 mean their first occurrence (CEST), which is less than two real hours away
    assert first.start.strftime("%H:%M") == "03:00"
    assert first.start.astimezone(timezone.utc) - now.astimezone(timezone.utc) == timedelta(hours=3)


def test_cells_of_a_one_hour_slot() -> None:
    slot = day_slots(make_site(), date(2026, 12, 1), 60, 30, PARIS)[0]
    assert cell_keys(slot, 30) == ["09:00", "09:30"]
