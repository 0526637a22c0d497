"""Dates in the resident's language (issue 23): French unchanged, the others with their own names."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from bot.language import dates
from bot.language.texts import TRANSLATED

MOMENT = datetime(2026, 12, 1, 9, 30)  # a Tuesday


def test_french_is_unchanged() -> None:
    assert dates.when_label(MOMENT, "fr") == "mardi 1er décembre à 9h30"
    assert dates.when_label(MOMENT) == "mardi 1er décembre à 9h30"
    assert dates.days_label(28, "fr") == "4 semaines"


def test_each_language_has_its_words() -> None:
    assert dates.when_label(MOMENT, "en") == "Tuesday 1 December at 9:30"
    assert dates.when_label(MOMENT, "es") == "martes 1 de diciembre a las 9:30"
    assert dates.when_label(MOMENT, "pt") == "terça-feira, 1 de dezembro às 9:30"
    assert dates.when_label(MOMENT, "tr") == "1 Aralık Salı saat 9:30"
    assert dates.when_label(MOMENT, "ro") == "marți, 1 decembrie, ora 9:30"
    assert dates.when_label(MOMENT, "ar") == "الثلاثاء 1 ديسمبر الساعة 9:30"
    assert dates.hour_label(datetime(2026, 12, 1, 14, 0), "en") == "14:00"
    assert dates.days_label(28, "en") == "4 weeks" and dates.days_label(1, "ro") == "1 zi"


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_weekday_and_month_is_named(language: str) -> None:
    assert len(set(dates.WEEKDAYS[language])) == 7 and len(set(dates.MONTHS[language])) == 12
    labels = {dates.day_label(date(2026, month, 1), language) for month in range(1, 13)}
    assert len(labels) == 12


def test_an_unknown_language_reads_french() -> None:
    assert dates.day_label(MOMENT, "uk") == "mardi 1er décembre"


def test_privacy_answers_in_the_resident_language() -> None:
    """Issue 23: MES DONNEES, the EFFACER question and its result in the resident's language, French unchanged."""
    from bot.privacy import messages

    assert messages.confirm_erase("4821", "en").endswith("reply EFFACER 4821. If not, reply NON.")
    assert messages.erased(1, True, "es") == (
        "Hecho: he borrado sus mensajes, sus citas y las notas sobre usted. Su próxima cita queda anulada. "
        "Solo guardo su petición STOP, para no escribirle más."
    )
    assert messages.info(30, "le PIMMS", "fr").startswith("Je garde nos messages")
    assert "30" in messages.first_contact_notice(30, "tr")


def test_relative_days_and_spans() -> None:
    today = date(2026, 12, 7)
    assert dates.relative_day(today, today, "en") == "today"
    assert dates.relative_day(date(2026, 12, 8), today, "ro") == "mâine"
    assert dates.relative_day(date(2026, 12, 10), today, "es") == "jueves"
    assert dates.relative_day(date(2026, 12, 10), today, "fr") == "jeudi"
