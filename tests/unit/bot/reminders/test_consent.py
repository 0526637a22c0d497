"""Consent: an accepted offer creates a subscription whose proof holds the exact text; the commands."""

from __future__ import annotations

from datetime import date

import pytest

from bot.reminders.consent import Command, Refusal, label, parse_command, subscribe
from bot.reminders.models import Subscription
from bot.reminders.programmes import Programme, Programmes
from bot.reminders.texts import PERMIT_EXPIRED, offer_text, render

from .conftest import SMS_USER, paris


@pytest.mark.parametrize(
    ("text", "command"),
    [
        ("RAPPELS", Command("list")),
        ("mes rappels", Command("list")),
        ("Stop rappels", Command("stop_all")),
        ("STOP RAPPEL 2", Command("stop_one", 2)),
        ("arrêter rappel 1", Command("stop_one", 1)),
        ("Fait !", Command("done")),
        ("STOP", None),  # the channels' opt-out of everything, not a reminder command
        ("rappelez-moi le 15 janvier", None),
    ],
)
def test_commands(text: str, command: Command | None) -> None:
    assert parse_command(text) == command


def test_consent_keeps_the_exact_offer_text_channel_and_who(rules: Programmes) -> None:
    now = paris(2026, 12, 7, 15, 30)
    sub = subscribe(SMS_USER, Programme.ACTUALISATION, "sms", now, rules, given_by="mediator", new_id=lambda: "a1")
    assert isinstance(sub, Subscription)
    assert sub.consent.text == offer_text(Programme.ACTUALISATION)
    assert (sub.consent.at, sub.consent.channel, sub.consent.given_by) == (now, "sms", "mediator")
    assert sub.until == date(2027, 12, 7)
    assert Subscription.from_json(sub.to_json()) == sub


def test_quarterly_from_the_last_declaration(rules: Programmes) -> None:
    sub = subscribe(
        SMS_USER, Programme.QUARTERLY, "sms", paris(2026, 12, 7, 10), rules, last_declaration=date(2026, 10, 3)
    )
    assert isinstance(sub, Subscription) and sub.months == (1, 4, 7, 10)


def test_an_expired_card_gets_guidance_not_a_reminder(rules: Programmes) -> None:
    result = subscribe(
        SMS_USER, Programme.RESIDENCE_PERMIT, "sms", paris(2026, 12, 7, 10), rules, day=date(2026, 12, 1)
    )
    assert result == Refusal(render(PERMIT_EXPIRED))


def test_a_card_past_its_window_or_too_far_is_refused(rules: Programmes) -> None:
    now = paris(2026, 12, 7, 10)
    late = subscribe(SMS_USER, Programme.RESIDENCE_PERMIT, "sms", now, rules, day=date(2027, 1, 20))
    far = subscribe(SMS_USER, Programme.RESIDENCE_PERMIT, "sms", now, rules, day=date(2028, 6, 1))
    assert isinstance(late, Refusal) and "passé" in late.text
    assert isinstance(far, Refusal) and "longtemps" in far.text


def test_labels_name_nothing_sensitive(rules: Programmes) -> None:
    sub = subscribe(SMS_USER, Programme.ONE_OFF, "sms", paris(2026, 12, 7, 10), rules, day=date(2027, 1, 15))
    assert isinstance(sub, Subscription)
    assert label(sub, rules) == "rappel à une date : le 15 janvier"
