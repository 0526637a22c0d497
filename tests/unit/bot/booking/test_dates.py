"""Free French date/time wishes, SMS style."""

from __future__ import annotations

from datetime import date, time

import pytest

from bot.booking.dates import AFTERNOON, EVENING, MORNING, DateWish, parse_wish

FRIDAY = date(2026, 11, 27)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("demain matin", DateWish(date(2026, 11, 28), MORNING)),
        ("lundi aprem", DateWish(date(2026, 11, 30), AFTERNOON, None, date(2026, 12, 7))),
        ("le 3 décembre vers 10h", DateWish(date(2026, 12, 3), MORNING, time(10))),
        ("le 3 decembre vers 10h", DateWish(date(2026, 12, 3), MORNING, time(10))),
        ("3/12", DateWish(date(2026, 12, 3))),
        ("le 2 dec", DateWish(date(2026, 12, 2))),
        ("apres demain", DateWish(date(2026, 11, 29))),
        ("après-demain 14h30", DateWish(date(2026, 11, 29), AFTERNOON, time(14, 30))),
        ("mardi prochain", DateWish(date(2026, 12, 1), None, None, date(2026, 12, 8))),
        ("vendredi prochain", DateWish(date(2026, 12, 4), None, None, date(2026, 12, 11))),
        ("1er janvier", DateWish(date(2027, 1, 1))),
        ("ce soir", DateWish(FRIDAY, EVENING)),
        ("vers 9h", DateWish(None, MORNING, time(9))),
        ("MERCREDI APRES MIDI", DateWish(date(2026, 12, 2), AFTERNOON, None, date(2026, 12, 9))),
        ("je veux un rdv caf demain matin a vaulx", DateWish(date(2026, 11, 28), MORNING)),
    ],
)
def test_wishes(text: str, expected: DateWish) -> None:
    assert parse_wish(text, FRIDAY) == expected


@pytest.mark.parametrize("text", ["1", "2", "caf", "oui", "je sais pas", "rdv"])
def test_no_wish(text: str) -> None:
    assert parse_wish(text, FRIDAY) is None


def test_past_day_of_year_rolls_to_next_year() -> None:
    assert parse_wish("le 5 novembre", FRIDAY) == DateWish(date(2027, 11, 5))


def test_todays_weekday_keeps_next_week_in_reserve() -> None:
    wish = parse_wish("vendredi aprem", FRIDAY)
    assert wish == DateWish(FRIDAY, AFTERNOON, None, date(2026, 12, 4))
    assert DateWish.decode(wish.encode()) == wish


def test_other_days_have_no_reserve_week() -> None:
    assert parse_wish("aujourd'hui aprem", FRIDAY) == DateWish(FRIDAY, AFTERNOON)
    assert DateWish.decode("2026-11-28|matin|") == DateWish(date(2026, 11, 28), MORNING)
