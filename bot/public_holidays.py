"""French public holidays (metropolitan France), from the ``holidays`` package."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

import holidays


@lru_cache(maxsize=16)
def french_holidays(year: int) -> frozenset[date]:
    """French public holidays of a year."""
    return frozenset(holidays.country_holidays("FR", years=year).keys())


def is_public_holiday(day: date) -> bool:
    """Whether a day is a French public holiday."""
    return day in french_holidays(day.year)
