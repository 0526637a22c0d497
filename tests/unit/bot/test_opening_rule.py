"""One opening rule: hours answer, hand-off and booking agree on public holidays (25 December)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from bot.booking.calendar import day_slots
from bot.handoff.messages import waiting_messages
from bot.site_messages import hours_messages
from bot.sites import SiteDirectory, load_sites
from tests.sites import SITES_FILE

CHRISTMAS = date(2026, 12, 25)  # a Friday: lyon8 and vaulx open on Fridays


@pytest.fixture
def directory() -> SiteDirectory:
    return load_sites(SITES_FILE)


def test_spans_on_is_empty_on_a_public_holiday_only(directory: SiteDirectory) -> None:
    site = directory.get("lyon8")
    assert site is not None and site.hours[CHRISTMAS.weekday()]
    assert site.spans_on(CHRISTMAS) == ()
    assert site.spans_on(date(2026, 12, 24)) == site.hours[3]
    assert site.closed_reason(CHRISTMAS) == "jour férié"
    assert site.closed_reason(date(2026, 12, 24)) == ""


def test_hours_answer_handoff_and_booking_agree_on_christmas(directory: SiteDirectory) -> None:
    tz = directory.tz
    site = directory.get("lyon8")
    assert site is not None
    christmas_morning = datetime(2026, 12, 25, 10, 0, tzinfo=tz)
    assert not site.is_open_at(christmas_morning, tz)
    assert day_slots(site, CHRISTMAS, 30, 30, tz) == []
    assert day_slots(site, date(2026, 12, 24), 30, 30, tz)
    [hours] = hours_messages(directory, "lyon 8", christmas_morning)
    assert "Fermé aujourd'hui (jour férié), réouverture lundi à 9h." in hours
    waiting = " ".join(waiting_messages(1, site, christmas_morning, tz))
    assert "absents" in waiting and "lundi 28 décembre à 9h" in waiting


def test_reopening_the_next_day_after_a_holiday(directory: SiteDirectory) -> None:
    tz = directory.tz
    [hours] = hours_messages(directory, "vaulx", datetime(2026, 12, 25, 18, 0, tzinfo=tz))
    assert hours.endswith("Fermé aujourd'hui (jour férié), réouverture demain à 9h.")
