"""A mediator sees a resident's deadline reminders and sets one up at the counter (consent given at the counter)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest

from bot.activity.log import ActivityLog
from bot.clock import PARIS
from bot.reminders.programmes import Programme
from bot.reminders.store import ReminderStore
from bot.reminders.texts import offer_text
from tests.unit.console.conftest import Console, running_console
from tests.unit.console.test_console_http import post

SID = "sms-33612345024"
NOW = datetime(2026, 12, 9, 10, 30, tzinfo=PARIS)


@pytest.fixture
def counter(redis_url: str) -> Iterator[Console]:
    with running_console(redis_url, ("alice",), now=lambda: NOW) as handle:
        yield handle


def stored(console: Console) -> list[Any]:
    return list(console.run(lambda store, _: ReminderStore(store.redis).subscriptions(SID)))


def test_a_mediator_sets_up_a_reminder_with_the_residents_consent(counter: Console) -> None:
    counter.seed(SID)
    alice = counter.login("alice")
    page = alice.get(f"/c/{SID}").text
    assert "Aucun rappel en cours." in page and offer_text(Programme.ACTUALISATION) in page
    refused = post(alice, f"/c/{SID}/rappel", programme="actualisation")  # consent not ticked
    assert refused.status_code == 409 and stored(counter) == []
    expired = post(alice, f"/c/{SID}/rappel", programme="residence_permit", day="2026-12-01", consent="oui")
    assert expired.status_code == 409 and "expiré" in expired.json()["error"] and stored(counter) == []
    assert post(alice, f"/c/{SID}/rappel", programme="actualisation", consent="oui").json()["ok"]
    (sub,) = stored(counter)
    assert (sub.consent.given_by, sub.consent.channel, sub.consent.at) == ("mediator", "sms", NOW)
    assert sub.consent.text == offer_text(Programme.ACTUALISATION)
    page = alice.get(f"/c/{SID}").text
    assert "démarche mensuelle France Travail" in page and "au guichet" in page
    events = counter.run(
        lambda store, _: ActivityLog(store.redis).events(NOW.timestamp() - 86400, NOW.timestamp() + 86400)
    )
    assert [(e["kind"], e["action"], e.get("by")) for e in events if e["kind"] == "reminder"] == [
        ("reminder", "subscribed", "mediator")
    ]
