"""French dates and hours, formatted in one module."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from bot.french_dates import day_label, hour_label, relative_day, relative_when, span_label, when_label

TZ = ZoneInfo("Europe/Paris")


def test_hours_and_spans() -> None:
    assert hour_label(time(9, 0)) == "9h"
    assert hour_label(datetime(2026, 12, 1, 13, 30)) == "13h30"
    assert span_label(time(13, 30), time(17, 0)) == "13h30-17h"


def test_first_of_the_month_is_1er() -> None:
    assert day_label(date(2026, 12, 1)) == "mardi 1er décembre"
    assert day_label(date(2026, 12, 2)) == "mercredi 2 décembre"
    assert when_label(datetime(2027, 1, 1, 9, 30)) == "vendredi 1er janvier à 9h30"


def test_relative_labels_across_new_year_and_dst() -> None:
    new_year_eve = datetime(2026, 12, 31, 23, 30, tzinfo=TZ)
    assert relative_when(datetime(2027, 1, 1, 9, 0, tzinfo=TZ), new_year_eve, TZ) == "demain à 9h"
    assert relative_when(datetime(2026, 12, 31, 23, 45, tzinfo=TZ), new_year_eve, TZ) == "à 23h45"
    assert relative_when(datetime(2027, 1, 4, 9, 0, tzinfo=TZ), new_year_eve, TZ) == "lundi 4 janvier à 9h"
    before_dst = datetime(2027, 3, 28, 1, 59, tzinfo=TZ)
    assert relative_when(datetime(2027, 3, 28, 3, 0, tzinfo=TZ), before_dst, TZ) == "à 3h"
    assert relative_day(date(2027, 1, 2), date(2026, 12, 31)) == "samedi"
    assert relative_day(date(2027, 1, 11), date(2026, 12, 31)) == "lundi 11 janvier"
