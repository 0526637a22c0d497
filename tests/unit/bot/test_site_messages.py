from datetime import datetime

import pytest

from bot.site_messages import address_messages, hours_messages, site_query
from bot.sites import load_sites
from tests.sites import SITES_FILE


@pytest.fixture
def directory():
    return load_sites(SITES_FILE)


def test_hours_for_every_site_when_none_named(directory):
    monday_10 = datetime(2026, 11, 30, 10, 0, tzinfo=directory.tz)
    messages = hours_messages(directory, "quels sont vos horaires", monday_10)
    assert len(messages) == len(directory.sites)
    assert messages[0].startswith("PIMMS Lyon 8e (exemple) : lundi: 9h-12h, 13h30-17h")
    assert messages[0].endswith("Ouvert en ce moment.")


def test_hours_when_closed_say_when_it_reopens(directory):
    saturday_evening = datetime(2026, 11, 28, 19, 0, tzinfo=directory.tz)
    [message] = hours_messages(directory, "horaires lyon 8", saturday_evening)
    assert message.endswith("Fermé en ce moment, réouverture lundi à 9h.")


def test_address_of_named_site(directory):
    [message] = address_messages(directory, "c ou a vaulx en velin")
    assert "69120 Vaulx-en-Velin" in message


def test_remembered_site_query(directory):
    assert address_messages(directory, site_query(directory, "vaulx"))[0].startswith("PIMMS Vaulx")
    assert site_query(directory, "unknown") == ""
    assert site_query(directory, None) == ""


def test_the_access_line_is_in_the_residents_language(directory):
    """Issue 23: the access line of config/sites.yml has its variants (translations/sites_config.yml)."""
    [message] = address_messages(directory, "vaulx", "en")
    assert "Access: Bus, stop to be added." in message
    assert "Accès : Bus, arret a completer." in address_messages(directory, "vaulx")[0]


def test_one_day_and_a_part_of_the_day_in_the_residents_language(directory):
    """Issue 23: "open on Wednesday afternoon?", "open tomorrow?", "which mornings?" answered in the language."""
    from bot.site_messages import day_hours_messages

    monday_10 = datetime(2026, 11, 30, 10, 0, tzinfo=directory.tz)
    french = day_hours_messages(directory, "lyon 8", monday_10, weekday=2, part="après-midi")
    english = day_hours_messages(directory, "lyon 8", monday_10, weekday=2, part="après-midi", language="en")
    assert french[0].startswith("Lyon 8e, le mercredi après-midi : ")
    assert english[0].startswith("Lyon 8e, on Wednesday afternoon: ")
    assert "open" in english[0] or "closed" in english[0]
    [tomorrow] = day_hours_messages(directory, "lyon 8", monday_10, offset=1, language="es")
    assert tomorrow.startswith("Lyon 8e, mañana: abierto 9:00-12:00")
    [mornings] = day_hours_messages(directory, "lyon 8", monday_10, part="matin", language="tr")
    assert mornings.startswith("Lyon 8e, sabahları: Pazartesi 9:00-12:00")
