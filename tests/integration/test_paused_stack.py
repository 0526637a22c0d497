"""Paused conversations on the running stack (trained model, real Redis, fake Twilio and Telegram, REST):
danger while waiting or held is answered at once and raised to urgent, waiting residents are acknowledged,
STOP wins over the rate limit, questions about other bodies never opt out."""

from __future__ import annotations

import asyncio
import io
import time
from typing import Any

import httpx
import pytest
import redis

from bot.console.cli import main as mediators
from bot.handoff.store import HandoffStore
from bot.handoff.waiting import ack_key
from bot.privacy.messages import first_contact_notice
from bot.settings import Settings
from tests.integration.stack_client import handoff, send_sms, send_telegram
from tests.waiting import wait_until

pytestmark = pytest.mark.stack
PASSWORD = "mot de passe paused"


def notice_sent_sms(fake_twilio: Any, phone: str) -> None:
    """The one-time notice to a new sender arrives after the first answer: wait for it before counting."""
    wait_until(lambda: first_contact_notice(90) in fake_twilio.bodies_to(phone))


def notice_sent_tg(fake_telegram: Any, chat: int) -> None:
    """Same on Telegram."""
    wait_until(
        lambda: any(
            m.get("chat_id") == chat and m.get("text") == first_contact_notice(90) for m in fake_telegram.messages
        )
    )


def user_texts(stack: Any, sender_id: str) -> list[str]:
    return [e.get("text") for e in stack.tracker(sender_id)["events"] if e["event"] == "user"]


def console_client(stack: Any, name: str, monkeypatch: pytest.MonkeyPatch) -> httpx.Client:
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert mediators(["password", name, "--password-stdin"], Settings.from_env(stack.env)) == 0
    client = httpx.Client(base_url=stack.console_url, timeout=20)
    token = client.get("/login").text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
    assert client.post("/login", data={"csrf": token, "name": name, "password": PASSWORD}).status_code == 303
    return client


def claim(stack: Any, sender_id: str, mediator: str) -> None:
    async def go() -> None:
        from redis import asyncio as aioredis

        client = aioredis.Redis.from_url(stack.redis_url)
        try:
            await HandoffStore(client).claim(sender_id, mediator)
        finally:
            await client.close()

    asyncio.run(go())


@pytest.mark.timeout(180)
def test_sms_danger_while_waiting(stack: Any, fake_twilio: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    phone, sid = "+33612349001", "sms-33612349001"
    send_sms(stack, phone, "je veux parler a un conseiller")
    wait_until(lambda: (handoff(stack, sid) or {}).get("state") == "waiting")
    wait_until(lambda: any("ANNULER" in b for b in fake_twilio.bodies_to(phone)))
    notice_sent_sms(fake_twilio, phone)
    sent_before = len(fake_twilio.bodies_to(phone))
    assert stack.tracker(sid)["paused"] is True

    send_sms(stack, phone, "j'ai envie de mourir")
    danger = wait_until(lambda: fake_twilio.bodies_to(phone)[sent_before:])
    assert danger == [b for b in danger if b.startswith("Appelez maintenant le 3114")] and len(danger) == 1
    record = wait_until(lambda: handoff(stack, sid) if handoff(stack, sid)["urgent"] else None)
    assert record["state"] == "waiting" and record["reason"] == "urgent"
    assert record["history"][-1]["action"] == "escalate"
    wait_until(lambda: "j'ai envie de mourir" in user_texts(stack, sid))

    client = console_client(stack, "paused-med", monkeypatch)
    row = [r for r in client.get("/api/queue").json()["queue"] if r["sender_id"] == stack.conversation_ref(sid)]
    assert row and row[0]["urgent"] is True  # flagged in the console
    lines = wait_until(
        lambda: [ln["text"] for ln in client.get(f"/api/c/{sid}").json()["lines"] if "3114" in ln["text"]]
    )
    assert lines  # the emergency text is in the transcript the mediator reads
    client.close()


@pytest.mark.timeout(180)
def test_telegram_danger_while_held_by_a_mediator(stack: Any, fake_telegram: Any) -> None:
    chat, sid = 4209001, "tg-4209001"
    send_telegram(stack, chat, "je veux parler a un conseiller")
    wait_until(lambda: (handoff(stack, sid) or {}).get("state") == "waiting")
    claim(stack, sid, "paused-med")
    notice_sent_tg(fake_telegram, chat)
    count = len(fake_telegram.messages)
    send_telegram(stack, chat, "mon conjoint me bat")
    messages = wait_until(lambda: [m for m in fake_telegram.messages[count:] if m.get("chat_id") == chat])
    assert "3919" in messages[0]["text"] and "17" in messages[0]["text"]
    record = wait_until(lambda: handoff(stack, sid) if handoff(stack, sid)["urgent"] else None)
    assert record["state"] == "with_mediator" and record["mediator"] == "paused-med"

    before = len(fake_telegram.messages)
    send_telegram(stack, chat, "vous êtes là ?")
    wait_until(lambda: "vous êtes là ?" in user_texts(stack, sid))
    time.sleep(1.5)  # give a wrong answer time to arrive: a mediator holds it, the assistant stays silent
    assert [m for m in fake_telegram.messages[before:] if m.get("chat_id") == chat] == []


@pytest.mark.timeout(180)
def test_sms_waiting_resident_is_acknowledged_and_the_mediator_sees_everything(
    stack: Any, fake_twilio: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    phone, sid = "+33612349002", "sms-33612349002"
    send_sms(stack, phone, "je veux parler a un conseiller")
    wait_until(lambda: any("ANNULER" in b for b in fake_twilio.bodies_to(phone)))
    notice_sent_sms(fake_twilio, phone)
    count = len(fake_twilio.bodies_to(phone))
    redis.Redis.from_url(stack.redis_url).delete(ack_key(sid))  # the acknowledgement interval is over
    send_sms(stack, phone, "c'est pour mon dossier caf")
    ack = wait_until(lambda: fake_twilio.bodies_to(phone)[count:])
    assert ack[0].startswith("Votre message est bien recu.")
    send_sms(stack, phone, "j'ai le courrier")
    wait_until(lambda: "j'ai le courrier" in user_texts(stack, sid))
    time.sleep(1.5)
    assert len(fake_twilio.bodies_to(phone)) == count + 1  # at most one acknowledgement per interval

    client = console_client(stack, "paused-med2", monkeypatch)
    page = client.get(f"/c/{sid}").text
    csrf = page.split('name="csrf" value="', 1)[1].split('"', 1)[0]
    assert client.post(f"/c/{sid}/claim", data={"csrf": csrf}, headers={"X-Requested-With": "fetch"}).json()["ok"]
    lines = client.get(f"/api/c/{sid}").json()["lines"]
    resident = [ln["text"] for ln in lines if ln["who"] == "resident"]
    assert resident == ["je veux parler a un conseiller", "c'est pour mon dossier caf", "j'ai le courrier"]
    client.close()


@pytest.mark.timeout(180)
def test_rest_danger_and_acknowledgement_while_waiting(stack: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    sid = "rest-paused-9006"
    assert any("ANNULER" in t for t in stack.texts(sid, "je veux parler a un conseiller"))
    wait_until(lambda: (handoff(stack, sid) or {}).get("state") == "waiting")

    danger = stack.texts(sid, "j'ai envie de mourir")  # answered in the HTTP response, at once
    assert len(danger) == 1 and danger[0].startswith("Appelez maintenant le 3114")
    record = handoff(stack, sid)
    assert record["urgent"] and record["reason"] == "urgent" and record["history"][-1]["action"] == "escalate"

    redis.Redis.from_url(stack.redis_url).delete(ack_key(sid))  # the acknowledgement interval is over
    ack = stack.texts(sid, "c'est pour la caf")
    assert len(ack) == 1 and ack[0].startswith("Votre message est bien reçu.")
    assert stack.texts(sid, "merci") == []  # at most one acknowledgement per interval

    client = console_client(stack, "paused-med", monkeypatch)
    row = [r for r in client.get("/api/queue").json()["queue"] if r["sender_id"] == stack.conversation_ref(sid)]
    assert row and row[0]["urgent"] is True
    lines = wait_until(lambda: client.get(f"/api/c/{sid}").json()["lines"])
    resident = [ln["text"] for ln in lines if ln["who"] == "resident"]
    assert resident == ["je veux parler a un conseiller", "j'ai envie de mourir", "c'est pour la caf", "merci"]
    assert any("3114" in ln["text"] for ln in lines)  # the emergency text is in the mediator's transcript
    client.close()


@pytest.mark.timeout(120)
def test_stop_after_the_rate_limit_still_opts_out(stack: Any, fake_twilio: Any) -> None:
    phone, sid = "+33612349003", "sms-33612349003"
    redis.Redis.from_url(stack.redis_url).set(f"pimms:rl:in:{sid}", 50, ex=600)  # far past the limit
    send_sms(stack, phone, "STOP")
    confirmation = wait_until(lambda: fake_twilio.bodies_to(phone))
    assert "plus de SMS" in confirmation[0]
    assert redis.Redis.from_url(stack.redis_url).exists(f"pimms:optout:{sid}")


@pytest.mark.timeout(120)
def test_a_question_about_france_travail_never_opts_out(stack: Any, fake_twilio: Any) -> None:
    phone, sid = "+33612349004", "sms-33612349004"
    send_sms(stack, phone, "Comment me désinscrire de France Travail ?")
    notice_sent_sms(fake_twilio, phone)  # the assistant answered, then told a new sender what it keeps
    replies = fake_twilio.bodies_to(phone)
    assert not redis.Redis.from_url(stack.redis_url).exists(f"pimms:optout:{sid}")
    assert all("plus de SMS" not in r for r in replies)


@pytest.mark.timeout(180)
def test_supervisor_takes_over_a_conversation_whose_mediator_is_gone(
    stack: Any, fake_telegram: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    chat, sid = 4209005, "tg-4209005"
    send_telegram(stack, chat, "je veux parler a un conseiller")
    wait_until(lambda: (handoff(stack, sid) or {}).get("state") == "waiting")
    notice_sent_tg(fake_telegram, chat)
    claim(stack, sid, "gone-med")  # then the account is deleted: nobody else could act before
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert mediators(["create", "--supervisor", "boss", "--password-stdin"], Settings.from_env(stack.env)) == 0
    client = httpx.Client(base_url=stack.console_url, timeout=20)
    token = client.get("/login").text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
    assert client.post("/login", data={"csrf": token, "name": "boss", "password": PASSWORD}).status_code == 303
    csrf = client.get(f"/c/{sid}").text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
    fetch = {"X-Requested-With": "fetch", "X-CSRF-Token": csrf}

    assert client.post(f"/c/{sid}/takeover", headers=fetch).json()["ok"]
    assert handoff(stack, sid)["mediator"] == "boss"
    before = len(fake_telegram.messages)
    assert client.post(f"/c/{sid}/reply", data={"text": "Je reprends votre demande."}, headers=fetch).json()["ok"]
    wait_until(lambda: any(m.get("text") == "Je reprends votre demande." for m in fake_telegram.messages[before:]))
    lines = client.get(f"/api/c/{sid}").json()["lines"]
    assert [ln["delivery"]["status"] for ln in lines if ln["text"] == "Je reprends votre demande."] == ["sent"]
    assert client.post(f"/c/{sid}/close", headers=fetch).json()["ok"]
    wait_until(lambda: stack.tracker(sid)["paused"] is False)
    client.close()
