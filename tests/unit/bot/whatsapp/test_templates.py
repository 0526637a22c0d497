"""WhatsApp templates: the shipped file is consistent, variables become Twilio's ContentVariables."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot.booking.agenda_messages import cancelled_by_counter, closed_day
from bot.booking.messages import reminder_text, reminder_values
from bot.booking.models import Booking
from bot.booking.motives import load_motives
from bot.clock import PARIS
from bot.outbound.proactive import Proactive, template_of
from bot.whatsapp.templates import BOOKING_REMINDER, FOLLOW_UP, TemplateError, load_templates
from tests.sites import fixture_sites

SIDS = {
    "TWILIO_WHATSAPP_CONTENT_BOOKING_REMINDER": "HX" + "1" * 32,
    "TWILIO_WHATSAPP_CONTENT_FOLLOW_UP": "HX" + "2" * 32,
    "TWILIO_WHATSAPP_CONTENT_BOOKING_CANCELLED": "HX" + "3" * 32,
    "TWILIO_WHATSAPP_CONTENT_SITE_CLOSED": "HX" + "4" * 32,
}


def test_the_shipped_templates_have_a_purpose_a_content_id_variable_and_matching_placeholders() -> None:
    templates = load_templates(SIDS)
    assert set(templates.by_key) == {BOOKING_REMINDER, FOLLOW_UP, "booking_cancelled", "site_closed"}
    for template in templates.by_key.values():
        assert template.purpose and template.content_sid_variable.startswith("TWILIO_WHATSAPP_CONTENT_")
        assert template.content_sid.startswith("HX")
    assert [t.key for t in templates.offered()] == [FOLLOW_UP]


def test_content_variables_are_numbered_json_and_the_text_is_the_approved_body() -> None:
    follow_up = load_templates(SIDS).get(FOLLOW_UP)
    assert json.loads(follow_up.content_variables({"network": "PIMMS de Lyon"})) == {"1": "PIMMS de Lyon"}
    assert follow_up.text({"network": "PIMMS de Lyon"}).startswith("Bonjour, un médiateur des PIMMS de Lyon a répondu")
    with pytest.raises(TemplateError):
        follow_up.content_variables({})  # a missing value never leaves as an empty placeholder


def test_a_template_without_its_content_id_is_not_offered() -> None:
    templates = load_templates({})
    assert templates.offered() == []
    assert templates.get(FOLLOW_UP).content_sid == ""
    with pytest.raises(TemplateError):
        templates.get("unknown")


def test_a_body_and_variables_that_differ_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "t.yml"
    path.write_text(
        'templates:\n  x:\n    purpose: p\n    content_sid: V\n    body: "a {{1}} {{2}}"\n    variables: {"1": a}\n',
        encoding="utf-8",
    )
    with pytest.raises(TemplateError):
        load_templates({}, path)


def test_the_reminder_carries_its_template_with_the_same_words() -> None:
    site = fixture_sites().default()
    motive = load_motives().motives[0]
    start = datetime(2026, 12, 10, 9, 30, tzinfo=PARIS)
    booking = Booking("AB12", "wa-33612345678", site.id, motive.id, start, start + timedelta(minutes=30))
    text = reminder_text(booking, site, motive, same_day=False)
    template = template_of(text)
    assert isinstance(text, Proactive) and template is not None and template.key == BOOKING_REMINDER
    assert template.values == reminder_values(booking, site, motive, same_day=False)
    assert load_templates(SIDS).get(BOOKING_REMINDER).text(template.values) == text
    for notice in (cancelled_by_counter(booking, site), closed_day(booking, site)):  # the agenda's notices
        carried = template_of(notice)
        assert carried is not None and load_templates(SIDS).get(carried.key).text(carried.values) == notice
