"""Twilio's later delivery reports (status callbacks) change what the console shows: the real twilio client sends
through the fake Twilio with a StatusCallback, the fake posts signed reports to the real SMS channel (Sanic),
real Redis. A lost SMS becomes "Non remis" and joins the dead letters mediators see, once."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from bot import wiring
from bot.handoff.store import HandoffStore
from bot.outbound.status import STATUS_PATH, sid_key
from bot.privacy.erase import ErasureReport
from bot.settings import Settings
from tests.fakes.sanic_harness import Echo, serve_in_thread, sms_channel
from tests.fakes.twilio_server import FakeTwilio
from tests.sites import SITES_FILE
from tests.unit.console.conftest import Console, running_console
from tests.unit.console.test_console_http import post
from tests.unit.console.test_delivery_states import ARABIC, SID, sms_settings, states

PUBLIC = "http://pimms.example.org"  # http: the test console is reached without TLS (no Secure cookie)
PHONE = "+33612345678"


@pytest.fixture
def public_console(redis_url: str, fake_twilio: FakeTwilio) -> Iterator[Console]:
    """The SMS console with a public address: each SMS asks Twilio for delivery reports."""
    with running_console(redis_url, public_base_url=PUBLIC, **sms_settings(fake_twilio)) as handle:
        yield handle


def claimed(console: Console) -> httpx.Client:
    """Alice, logged in, holds the conversation (the claim message left as one SMS)."""
    console.seed(SID)
    alice = console.login("alice")
    assert post(alice, f"/c/{SID}/claim").json()["ok"]
    return alice


def test_reports_update_the_console_and_lost_sms_become_dead_letters(
    public_console: Console, fake_twilio: FakeTwilio, redis_url: str
) -> None:
    alice = claimed(public_console)
    assert post(alice, f"/c/{SID}/reply", text=ARABIC).json()["ok"]
    assert post(alice, f"/c/{SID}/reply", text="Vous êtes là ?").json()["ok"]
    sent = fake_twilio.sent()
    assert [m["StatusCallback"] for m in sent] == [PUBLIC + STATUS_PATH] * 4  # claim, two UCS-2 parts, one
    claim, arabic_1, arabic_2, question = (m["sid"] for m in sent)

    with serve_in_thread(sms_channel(redis_url, fake_twilio.base_url, base=PUBLIC), Echo()) as channel:
        forged = httpx.post(
            channel + "/webhooks/sms/status",
            data={"MessageSid": question, "MessageStatus": "delivered"},
            headers={"X-Twilio-Signature": "bm90IGEgc2lnbmF0dXJl"},
        )
        assert forged.status_code == 403
        assert fake_twilio.report_status(arabic_1, "delivered", channel) == 204
        assert states(public_console, alice)[1] == (ARABIC, "sent")  # one part of two: not yet delivered
        assert fake_twilio.report_status(arabic_2, "delivered", channel) == 204
        assert fake_twilio.report_status(question, "sent", channel) == 204
        assert fake_twilio.report_status(question, "undelivered", channel, error_code="30003") == 204
        assert fake_twilio.report_status(question, "undelivered", channel, error_code="30003") == 204  # repeated
        assert fake_twilio.report_status(question, "sent", channel) == 204  # late, out of order: ignored
        assert fake_twilio.report_status(claim, "queued", channel) == 204

    assert states(public_console, alice) == [
        ("Bonjour, un médiateur PIMMS prend votre demande. Il vous répond ici.", "sent"),
        (ARABIC, "delivered"),
        ("Vous êtes là ?", "undelivered"),
    ]
    lines = alice.get(f"/api/c/{SID}").json()["lines"]
    labels = [line["delivery"]["label"] for line in lines if line["who"] == "mediator"]
    assert labels[1:] == ["Remis (2 SMS)", "Non remis : l'opérateur n'a pas pu le remettre (code 30003)"]
    letters = alice.get("/api/non-remis").json()["letters"]
    assert [(d["text"], d["detail"]) for d in letters] == [
        ("Vous êtes là ?", "l'opérateur n'a pas pu le remettre (code 30003)")
    ]


def test_erasure_forgets_the_sms_awaiting_their_report(
    public_console: Console, fake_twilio: FakeTwilio, redis_url: str
) -> None:
    claimed(public_console)
    sid = fake_twilio.sent()[0]["sid"]
    assert public_console.run(lambda store, _: store.redis.exists(sid_key(sid))) == 1

    async def erase(store: HandoffStore, _: object) -> ErasureReport:
        settings = Settings.from_env({"REDIS_URL": redis_url, "PIMMS_SITES_FILE": str(SITES_FILE)})
        return await wiring.eraser(settings, store.redis).erase(SID)

    assert public_console.run(erase).keys_deleted > 0
    assert public_console.run(lambda store, _: store.redis.exists(sid_key(sid))) == 0
