"""Every reminder and offer is one GSM-7 SMS segment with no link, names nothing sensitive, and is answerable."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import get_args

import pytest

from bot.reminders import texts
from bot.reminders.models import Kind
from bot.reminders.programmes import Programme
from bot.sms.gsm import is_gsm7, segment_count

LINK = re.compile(r"https?:|www\.|\.fr\b|\.com\b|\.gouv\b", re.IGNORECASE)
SENSITIVE = ("rsa", "prime d'activit", "titre de s", "séjour", "sejour", "préfecture", "chômage", "chomage", "aah")
# Every day of a year: the longest date ("30 septembre") and août (folded) are in it.
DAYS = [date(2027, 1, 1) + timedelta(days=n) for n in range(365)]


def all_rendered() -> list[str]:
    found = [texts.reminder_text(kind, day) for kind in get_args(Kind) for day in DAYS]
    found += [texts.offer_text(p, day) for p in Programme for day in DAYS]
    extras = ("PERMIT_EXPIRED", "PERMIT_LATE", "PERMIT_TOO_FAR", "ONE_OFF_BAD_DATE", "SUBSCRIBED", "DONE_ACK")
    found += [texts.render(getattr(texts, name)) for name in extras]
    found += [texts.render(t) for t in (texts.STOPPED_ONE, texts.STOPPED_ALL, texts.NONE_ACTIVE)]
    return found


@pytest.mark.parametrize("text", sorted(set(all_rendered()), key=len)[-5:] + all_rendered()[:3])
def test_longest_texts_fit_one_gsm7_segment(text: str) -> None:
    assert is_gsm7(text), text
    assert segment_count(text) == 1, (len(text), text)


def test_every_text_is_one_gsm7_segment_without_link_or_sensitive_word() -> None:
    for text in all_rendered():
        assert is_gsm7(text) and segment_count(text) == 1, text
        assert not LINK.search(text), text
        assert not any(word in text.lower() for word in SENSITIVE), text


def test_every_reminder_is_answerable() -> None:
    for kind in get_args(Kind):
        text = texts.reminder_text(kind, date(2027, 9, 30))
        assert "RDV" in text and "STOP RAPPELS" in text, text
        if kind != "one_off":
            assert "FAIT" in text, text


def test_the_date_is_written_for_residents() -> None:
    assert "15 aout" in texts.reminder_text("actualisation_open", date(2027, 8, 15))
    assert "1er mars" in texts.reminder_text("permit_second", date(2027, 3, 1))


def test_the_list_numbers_reminders() -> None:
    listed = texts.list_text(["démarche mensuelle France Travail (jusqu'au 7 décembre)", "rappel à une date"])
    assert "1. démarche mensuelle" in listed and "\n2. rappel" in listed and "STOP RAPPEL 1" in listed
    assert texts.list_text([]) == texts.NONE_ACTIVE
