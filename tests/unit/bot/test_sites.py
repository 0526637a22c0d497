from datetime import date, datetime
from pathlib import Path

import pytest

from bot.settings import PROJECT_ROOT
from bot.sites import OpeningSpan, load_sites
from tests.sites import SITES_FILE


@pytest.fixture
def directory():
    return load_sites(SITES_FILE)


def test_example_network_is_marked_as_example(directory):
    assert directory.example is True
    assert all("exemple" in s.name for s in directory.sites)


def test_hours_lines_in_french(directory):
    lines = directory.get("lyon8").hours_lines()
    assert lines[0] == "lundi: 9h-12h, 13h30-17h"
    assert not any(line.startswith("dimanche") for line in lines)


def test_next_opening_skips_closed_days(directory):
    site = directory.get("lyon8")
    tz = directory.tz
    saturday_evening = datetime(2026, 11, 28, 18, 0, tzinfo=tz)
    assert site.next_opening(saturday_evening, tz) == datetime(2026, 11, 30, 9, 0, tzinfo=tz)
    assert site.is_open_at(datetime(2026, 11, 30, 10, 0, tzinfo=tz), tz)
    assert not site.is_open_at(datetime(2026, 11, 30, 12, 30, tzinfo=tz), tz)


def test_closure_dates_close_the_site(tmp_path: Path):
    config = tmp_path / "sites.yml"
    config.write_text(
        "sites:\n  - id: a\n    name: A\n    address: x\n    hours: {monday: ['09:00-12:00']}\n"
        "    closures: ['2026-11-30']\n",
        encoding="utf-8",
    )
    site = load_sites(config).get("a")
    assert site.spans_on(date(2026, 11, 30)) == ()
    assert site.spans_on(date(2026, 12, 7))


def test_find_by_name_without_accents(directory):
    assert directory.find("je suis a vaulx en velin").id == "vaulx"
    assert directory.find("rien") is None


def test_invalid_span_is_rejected():
    with pytest.raises(ValueError):
        OpeningSpan.parse("12:00-09:00")


def test_the_operators_site_file_loads() -> None:
    """config/sites.yml (the operator's, edited before going live) stays valid; its content is not tested."""
    assert load_sites(PROJECT_ROOT / "config" / "sites.yml").sites
