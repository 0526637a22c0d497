"""No failure that looks like a success (issue 28): the automatic notices sent on a mediator's behalf (claim
greeting, hand back, close) show their delivery state in the transcript, and every message that did not leave,
refused or failed at the provider, is listed in "Messages non remis". Real console, real Redis, fake Twilio."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.handoff import messages
from tests.fakes.twilio_server import FakeTwilio
from tests.unit.console.conftest import Console, running_console
from tests.unit.console.test_console_http import post
from tests.unit.console.test_delivery_states import sms_settings
from tests.waiting import wait_until

TELEGRAM = "tg-424242"  # no Telegram bot configured: nothing can reach this resident
SMS = "sms-33612345678"


@pytest.fixture
def sms_console(redis_url: str, fake_twilio: FakeTwilio) -> Iterator[Console]:
    with running_console(redis_url, **sms_settings(fake_twilio)) as handle:
        yield handle


def sent_lines(console: Console, client: object, sender_id: str) -> list[tuple[str, str]]:
    """(text, delivery status) of every message to the resident, as the transcript shows them."""
    lines = client.get(f"/api/c/{console.ref(sender_id)}").json()["lines"]  # type: ignore[attr-defined]
    return [
        (line["text"], (line.get("delivery") or {}).get("status", "")) for line in lines if line["who"] != "resident"
    ]


def undelivered(client: object) -> list[str]:
    return [letter["text"] for letter in client.get("/api/non-remis").json()["letters"]]  # type: ignore[attr-defined]


def test_refused_notices_show_their_state_and_are_listed(console: Console) -> None:
    console.seed(TELEGRAM)
    alice = console.login("alice")
    ref = console.ref(TELEGRAM)
    assert post(alice, f"/c/{ref}/claim").json()["ok"]
    assert post(alice, f"/c/{ref}/handback").json()["ok"]
    wait_until(lambda: len(sent_lines(console, alice, TELEGRAM)) == 2)
    assert sent_lines(console, alice, TELEGRAM) == [(messages.CLAIMED, "refused"), (messages.HANDED_BACK, "refused")]
    assert undelivered(alice) == [messages.HANDED_BACK, messages.CLAIMED]  # newest first
    letters = alice.get("/api/non-remis").json()["letters"]
    assert {letter["detail"] for letter in letters} == {"Non envoyé : aucun canal configuré pour cette personne"}
    assert "424242" not in str(letters)


def test_a_close_notice_that_fails_at_the_provider_is_not_shown_as_sent(
    sms_console: Console, fake_twilio: FakeTwilio
) -> None:
    sms_console.seed(SMS)
    alice = sms_console.login("alice")
    ref = sms_console.ref(SMS)
    assert post(alice, f"/c/{ref}/claim").json()["ok"]
    fake_twilio.fail_next = 4  # every attempt of the next message fails
    assert post(alice, f"/c/{ref}/close").json()["ok"]
    wait_until(lambda: len(sent_lines(sms_console, alice, SMS)) == 2)
    assert sent_lines(sms_console, alice, SMS) == [(messages.CLAIMED, "sent"), (messages.CLOSED, "provider_error")]
    assert undelivered(alice) == [messages.CLOSED]
