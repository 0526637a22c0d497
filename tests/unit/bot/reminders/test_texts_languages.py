"""Reminder texts in the residents' languages (issue 23): two SMS segments at most with the longest date
(UCS-2 counted for Arabic, Turkish and Romanian letters), one for English, Spanish and Portuguese, no link."""

from __future__ import annotations

from datetime import date

import pytest

from bot.language.texts import TRANSLATED
from bot.reminders import texts
from bot.reminders.programmes import Programme
from bot.sms.encoding import shape

LONGEST = date(2027, 9, 30)  # "30 septembre", "30 de septiembre", "30 septembrie"


def segments(text: str) -> int:
    clean, alphabet = shape(text)
    size = alphabet.measure(clean)
    return 1 if size <= alphabet.single else -(-size // alphabet.concat)


@pytest.mark.parametrize("language", TRANSLATED)
def test_each_reminder_fits_the_sms_budget_in_each_language(language: str) -> None:
    budget = 1 if language in ("en", "es", "pt") else 2
    for kind in texts.REMINDERS:
        text = texts.reminder_text(kind, LONGEST, language)
        assert text != texts.reminder_text(kind, LONGEST), (kind, language)  # translated
        assert segments(text) <= budget, (kind, language, text)
        assert "http" not in text and "www" not in text
        assert "STOP RAPPELS" in text or "RDV" in text
    for programme in Programme:
        assert segments(texts.offer_text(programme, LONGEST, language)) <= 2


def test_french_is_unchanged_and_the_date_is_in_the_language() -> None:
    assert texts.reminder_text("one_off", date(2027, 3, 1)).startswith("PIMMS : voici le rappel que vous avez")
    assert "1er mars" in texts.reminder_text("one_off", date(2027, 3, 1))
    assert "1 March" in texts.reminder_text("one_off", date(2027, 3, 1), "en")
    assert "1 de marzo" in texts.reminder_text("one_off", date(2027, 3, 1), "es")
