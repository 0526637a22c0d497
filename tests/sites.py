"""The tests' own site network (tests/data/sites.yml), independent of the operator's config/sites.yml."""

from __future__ import annotations

from pathlib import Path

from bot.sites import SiteDirectory, load_sites

SITES_FILE = Path(__file__).resolve().parent / "data" / "sites.yml"


def fixture_sites() -> SiteDirectory:
    """The fixture site directory."""
    return load_sites(SITES_FILE)
