"""Booking fixtures: a small site directory, the real motives file, a fixed clock."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.booking.motives import MotiveCatalog, load_motives
from bot.sites import OpeningSpan, Site, SiteDirectory

PARIS = ZoneInfo("Europe/Paris")


def make_site(
    site_id: str = "s1",
    counters: int = 1,
    hours: dict[int, list[str]] | None = None,
    closures: tuple[date, ...] = (),
) -> Site:
    """A site open Monday-Friday 9-12 / 13:30-17 unless told otherwise."""
    weekly = hours if hours is not None else {d: ["09:00-12:00", "13:30-17:00"] for d in range(5)}
    return Site(
        id=site_id,
        name=f"PIMMS {site_id}",
        short_name=site_id,
        address=f"1 rue {site_id}, 69000 Lyon",
        counters=counters,
        hours={d: tuple(OpeningSpan.parse(s) for s in spans) for d, spans in weekly.items()},
        closures=frozenset(closures),
    )


def paris(*args: int) -> datetime:
    """An aware Europe/Paris datetime."""
    return datetime(*args, tzinfo=PARIS)


@pytest.fixture
def catalog() -> MotiveCatalog:
    """The real motives file."""
    return load_motives()


@pytest.fixture
def sites() -> SiteDirectory:
    """Two sites: one counter and two counters."""
    return SiteDirectory(sites=(make_site("s1", 1), make_site("s2", 2)))
