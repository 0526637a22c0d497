"""Choosing the three offered slots."""

from __future__ import annotations

from datetime import date, time

from bot.booking.calendar import candidate_slots
from bot.booking.dates import AFTERNOON, MORNING, DateWish
from bot.booking.motives import BookingRules
from bot.booking.offers import choose_offers

from .conftest import PARIS, make_site, paris

NOW = paris(2026, 11, 27, 8, 0)  # Friday
FREE = list(candidate_slots(make_site(), 30, BookingRules(), NOW, PARIS))


def test_without_wish_one_slot_on_each_of_three_days() -> None:
    offers = choose_offers(FREE)
    assert [o.start for o in offers] == [
        paris(2026, 11, 27, 10, 0),
        paris(2026, 11, 30, 9, 0),
        paris(2026, 12, 1, 9, 0),
    ]


def test_wished_day_and_period_first() -> None:
    offers = choose_offers(FREE, DateWish(date(2026, 12, 1), AFTERNOON))
    assert [o.start for o in offers] == [
        paris(2026, 12, 1, 13, 30),
        paris(2026, 12, 1, 14, 0),
        paris(2026, 12, 1, 14, 30),
    ]


def test_wished_time_gives_the_closest_slots() -> None:
    offers = choose_offers(FREE, DateWish(date(2026, 12, 3), MORNING, time(10)))
    assert [o.start.strftime("%H:%M") for o in offers] == ["09:30", "10:00", "10:30"]


def test_other_days_start_after_the_last_offered_day() -> None:
    offers = choose_offers(FREE, DateWish(None, MORNING), after=date(2026, 12, 1))
    assert [o.start.date() for o in offers] == [date(2026, 12, 2), date(2026, 12, 3), date(2026, 12, 4)]
    assert all(o.start.hour < 12 for o in offers)


def test_closed_wished_day_falls_back_to_following_days() -> None:
    offers = choose_offers(FREE, DateWish(date(2026, 11, 28), MORNING))  # Saturday
    assert [o.start.date() for o in offers] == [date(2026, 11, 30), date(2026, 12, 1), date(2026, 12, 2)]


def test_nothing_free() -> None:
    assert choose_offers([], DateWish(date(2026, 12, 1))) == []


def test_todays_weekday_with_nothing_left_today_means_next_week() -> None:
    late = paris(2026, 11, 27, 17, 55)  # Friday after the last afternoon slot
    free = list(candidate_slots(make_site(), 30, BookingRules(), late, PARIS))
    offers = choose_offers(free, DateWish(date(2026, 11, 27), AFTERNOON, None, date(2026, 12, 4)))
    assert offers and all(o.start.date() == date(2026, 12, 4) for o in offers)
    assert all(12 <= o.start.hour < 18 for o in offers)


def test_todays_weekday_with_slots_left_today_stays_today() -> None:
    offers = choose_offers(FREE, DateWish(date(2026, 11, 27), None, None, date(2026, 12, 4)))
    assert offers[0].start.date() == date(2026, 11, 27)


def test_a_named_weekday_that_is_a_holiday_means_the_next_one() -> None:
    easter_sunday = paris(2027, 3, 28, 10, 0)  # Monday 29 March 2027 is Easter Monday
    free = list(candidate_slots(make_site(), 30, BookingRules(), easter_sunday, PARIS))
    assert not any(s.start.date() == date(2027, 3, 29) for s in free)
    offers = choose_offers(free, DateWish(date(2027, 3, 29), AFTERNOON, None, date(2027, 4, 5)))
    assert offers and all(o.start.date() == date(2027, 4, 5) for o in offers)
