"""A scripted day on the running stack with known secrets, then every log line of every process is searched:
no secret, no full phone number, no full Telegram chat id may appear (issue 9, finding 2)."""

from __future__ import annotations

import asyncio
import io
import re
import time
import uuid
from typing import Any

import httpx
import pytest
from arq.connections import RedisSettings

from bot.booking.jobs import create_arq_pool
from bot.booking.reminders import REMINDER_FUNCTION, REMINDER_QUEUE
from bot.console.cli import main as mediators
from bot.security.rasa_auth import jwt_key
from bot.settings import Settings
from tests.conftest import REDIS_TEST_PASSWORD
from tests.fakes.sanic_harness import TG_TOKEN, sign
from tests.integration.conftest import TEST_SECRETS

pytestmark = pytest.mark.stack
PHONE = "+33612345678"
CHAT = 5987654321
MEDIATOR_PASSWORD = "Mediator-pass-9911"
REF = re.compile(r"référence : ([2-9A-HJKMNP-Z]{6})")


def _sms(stack: Any, fake_twilio: Any, text: str) -> str:
    """One signed SMS from PHONE; the assistant's answer (all SMS it sent back)."""
    before = len(fake_twilio.bodies_to(PHONE))
    sid = "SM" + uuid.uuid4().hex
    form = {"MessageSid": sid, "SmsSid": sid, "From": PHONE, "To": "+33700000000", "Body": text, "NumMedia": "0"}
    form["AccountSid"] = stack.env["TWILIO_ACCOUNT_SID"]
    signature = sign(stack.env["PUBLIC_BASE_URL"] + "/webhooks/sms/webhook", form, token=stack.env["TWILIO_AUTH_TOKEN"])
    reply = httpx.post(
        stack.rasa_url + "/webhooks/sms/webhook", data=form, headers={"X-Twilio-Signature": signature}, timeout=30
    )
    assert reply.status_code == 200
    deadline = time.monotonic() + 40
    while len(fake_twilio.bodies_to(PHONE)) <= before and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(1.5)  # the last SMS of a multi-part answer
    return "\n".join(fake_twilio.bodies_to(PHONE)[before:])


def _telegram(stack: Any, fake_telegram: Any, update_id: int, text: str) -> None:
    chat = {"id": CHAT, "type": "private", "first_name": "Ana"}
    body = {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": int(time.time()),
            "text": text,
            "chat": chat,
            "from": {"id": CHAT, "is_bot": False, "first_name": "Ana"},
        },
    }
    before = len(fake_telegram.messages)
    secret = {"X-Telegram-Bot-Api-Secret-Token": stack.env["TELEGRAM_WEBHOOK_SECRET"]}
    assert (
        httpx.post(stack.rasa_url + "/webhooks/telegram/webhook", json=body, headers=secret, timeout=30).status_code
        == 200
    )
    fake_telegram.wait_for(before + 1, timeout=40)
    time.sleep(1)


async def _remind_now(stack: Any, ref: str) -> None:
    """Queue the booking's reminder for now (the stack's own worker delivers it)."""
    pool = await create_arq_pool(RedisSettings.from_dsn(stack.redis_url))
    await pool.enqueue_job(REMINDER_FUNCTION, ref, _job_id=f"log-test-{ref}", _queue_name=REMINDER_QUEUE)
    await pool.close(close_connection_pool=True)


def _console(stack: Any, monkeypatch: pytest.MonkeyPatch) -> httpx.Client:
    monkeypatch.setattr("sys.stdin", io.StringIO(MEDIATOR_PASSWORD + "\n"))
    assert mediators(["password", "camille", "--password-stdin"], Settings.from_env(stack.env)) == 0
    client = httpx.Client(base_url=stack.console_url, timeout=30)
    page = client.get("/login")
    token = page.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
    assert (
        client.post("/login", data={"csrf": token, "name": "camille", "password": MEDIATOR_PASSWORD}).status_code == 303
    )
    return client


@pytest.mark.timeout(400)
def test_a_day_of_work_leaves_no_secret_and_no_number_in_any_log(
    stack: Any, fake_twilio: Any, fake_telegram: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # SMS: hello, then a booking with numbered answers, then its reminder through the worker.
    assert _sms(stack, fake_twilio, "bonjour").strip()
    # The booking dialogue itself is tested elsewhere; here it only has to produce log lines.
    done = ""
    for text in ("je veux un rdv caf", "1", "2", "1", "oui"):
        done = _sms(stack, fake_twilio, text)
    match = REF.search(done)
    if match:
        count = len(fake_twilio.bodies_to(PHONE))
        asyncio.run(_remind_now(stack, match.group(1)))
        deadline = time.monotonic() + 40
        while not any("Rappel" in b for b in fake_twilio.bodies_to(PHONE)[count:]) and time.monotonic() < deadline:
            time.sleep(0.3)

    # Telegram: hello, then a hand-off claimed and answered in the console, then handed back.
    base = int(time.time() * 1000) % 1_000_000_000
    _telegram(stack, fake_telegram, base, "bonjour")
    _telegram(stack, fake_telegram, base + 1, "je veux parler a un humain")
    client = _console(stack, monkeypatch)
    csrf = client.get("/").text.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]
    queue = client.get("/api/queue").json()["queue"]
    ref = stack.conversation_ref(f"tg-{CHAT}")
    row = next(r for r in queue if r["sender_id"] == ref)
    assert str(CHAT) not in str(queue)
    headers = {"X-CSRF-Token": csrf, "X-Requested-With": "fetch"}
    assert client.post(f"/c/{row['sender_id']}/claim", headers=headers).json()["ok"]
    reply = client.post(f"/c/{row['sender_id']}/reply", data={"text": "Bonjour, ici Camille."}, headers=headers)
    assert reply.json()["ok"]
    fake_telegram.wait_for(len(fake_telegram.messages), timeout=10)
    assert any(m["text"] == "Bonjour, ici Camille." for m in fake_telegram.messages)
    assert client.post(f"/c/{row['sender_id']}/handback", headers=headers).json()["ok"]
    client.close()
    time.sleep(3)  # let every process write its last lines

    logs = "\n".join(stack.logs)
    assert all(f"{name} |" in logs for name in ("actions", "rasa", "console", "worker"))
    forbidden = {
        **TEST_SECRETS,
        "Redis password": REDIS_TEST_PASSWORD,
        "Telegram bot token": TG_TOKEN,
        "JWT key": jwt_key(stack.env["RASA_TOKEN"]),
        "mediator password": MEDIATOR_PASSWORD,
        "phone number": PHONE.lstrip("+"),
        "national number": "612345678",
        "chat id": str(CHAT),
    }
    leaks = [f"{what}: {line}" for line in stack.logs for what, value in forbidden.items() if value in line]
    assert not leaks, "\n".join(leaks[:20])
