"""Danger first, whatever the state, on the running stack (trained model, real Redis, fake Twilio and Telegram,
REST): opted out, STOP in the same message, rate limited, waiting, held by a mediator, Redis stopped or
stalled. The emergency texts always reach the person, the hand-off becomes urgent and the message is in the
mediator's transcript (bot/inbound/admission.py; security review December 2026, H1, M2, M3, L7, M7)."""

from __future__ import annotations

import json
import signal
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis

from bot.danger_texts import danger_texts
from bot.inbound.messages import NOT_KEPT, SLOWED_DOWN
from bot.ops.redis_server import EmbeddedRedis
from bot.ops.stack import Stack
from bot.security.rasa_auth import BearerToken
from tests.integration.conftest import MEDIATOR_GROUP, TEST_SECRETS
from tests.integration.outage_stack import outage_stack
from tests.integration.stack_client import TG_PATH, handoff, send_sms, send_telegram, sms_webhook, telegram_webhook
from tests.integration.test_paused_stack import claim, notice_sent_tg, user_texts
from tests.waiting import wait_until

pytestmark = pytest.mark.stack
SUICIDE = danger_texts("suicide")[0]
VIOLENCE = danger_texts("violence")[0]


def urgent(stack: Any, sender_id: str) -> dict[str, Any]:
    """The hand-off record, once it is urgent."""
    return wait_until(lambda: (handoff(stack, sender_id) or {}).get("urgent") and handoff(stack, sender_id), 60)


def opt_out(stack: Any, sender_id: str) -> None:
    redis.Redis.from_url(stack.redis_url).set(f"pimms:optout:{sender_id}", "1")


def past_the_limit(stack: Any, sender_id: str) -> None:
    redis.Redis.from_url(stack.redis_url).set(f"pimms:rl:in:{sender_id}", 50, ex=600)


def telegram_update(env: dict[str, str], base: str, message: dict[str, Any], edited: bool = False) -> httpx.Response:
    """Any Telegram message (a photo with a caption, an edit, a group's message) as the Bot API posts it."""
    key = "edited_message" if edited else "message"
    update = {"update_id": int(uuid.uuid4().int % 2_000_000_000), key: message}
    headers = {"X-Telegram-Bot-Api-Secret-Token": env["TELEGRAM_WEBHOOK_SECRET"]}
    return httpx.post(base + TG_PATH, json=update, headers=headers, timeout=10)


def photo(chat_id: int, caption: str) -> dict[str, Any]:
    return {
        "message_id": int(time.time()) % 100000,
        "date": int(time.time()),
        "caption": caption,
        "photo": [{"file_id": "f1", "file_unique_id": "u1", "width": 90, "height": 90}],
        "chat": {"id": chat_id, "type": "private", "first_name": "Ana"},
        "from": {"id": chat_id, "is_bot": False, "first_name": "Ana"},
    }


def to_chat(fake_telegram: Any, chat_id: int, since: int = 0) -> list[str]:
    return [m["text"] for m in fake_telegram.messages[since:] if m.get("chat_id") == chat_id]


@pytest.mark.timeout(180)
def test_sms_after_an_opt_out_danger_is_answered_urgent_and_in_the_transcript(stack: Any, fake_twilio: Any) -> None:
    phone, sid = "+33612347001", "sms-33612347001"
    send_sms(stack, phone, "STOP")
    wait_until(lambda: fake_twilio.bodies_to(phone))
    send_sms(stack, phone, "au secours il va me tuer")
    assert wait_until(lambda: fake_twilio.bodies_to(phone)[1:])[0] == VIOLENCE  # forced past the opt-out
    assert urgent(stack, sid)["reason"] == "urgent"
    wait_until(lambda: "au secours il va me tuer" in user_texts(stack, sid))
    send_sms(stack, phone, "vous êtes là ?")  # not danger: kept for the transcript, not answered
    wait_until(lambda: "vous êtes là ?" in user_texts(stack, sid))
    time.sleep(1.5)
    assert fake_twilio.bodies_to(phone)[1:].count(VIOLENCE) == 1
    assert redis.Redis.from_url(stack.redis_url).exists(f"pimms:optout:{sid}")


@pytest.mark.timeout(180)
def test_sms_danger_with_a_refusal_in_words(stack: Any, fake_twilio: Any) -> None:
    phone, sid = "+33612347002", "sms-33612347002"
    send_sms(stack, phone, "je veux plus vivre, arrêtez vos messages")
    bodies = wait_until(lambda: fake_twilio.bodies_to(phone))
    assert bodies[0] == SUICIDE
    assert urgent(stack, sid)["reason"] == "urgent"
    wait_until(lambda: "je veux plus vivre, arrêtez vos messages" in user_texts(stack, sid))
    assert not redis.Redis.from_url(stack.redis_url).exists(f"pimms:optout:{sid}")  # words never opt out


@pytest.mark.timeout(180)
def test_sms_danger_past_the_rate_limit_and_while_waiting(stack: Any, fake_twilio: Any) -> None:
    phone, sid = "+33612347003", "sms-33612347003"
    send_sms(stack, phone, "je veux parler a un conseiller")
    wait_until(lambda: (handoff(stack, sid) or {}).get("state") == "waiting")
    wait_until(lambda: any("ANNULER" in b for b in fake_twilio.bodies_to(phone)))
    past_the_limit(stack, sid)
    count = len(fake_twilio.bodies_to(phone))
    send_sms(stack, phone, "je vais me tuer")
    assert wait_until(lambda: fake_twilio.bodies_to(phone)[count:])[0] == SUICIDE
    assert urgent(stack, sid)["state"] == "waiting"


@pytest.mark.timeout(180)
def test_telegram_caption_danger_past_the_rate_limit_while_held(stack: Any, fake_telegram: Any) -> None:
    chat, sid = 4207001, "tg-4207001"
    send_telegram(stack, chat, "je veux parler a un conseiller")
    wait_until(lambda: (handoff(stack, sid) or {}).get("state") == "waiting")
    claim(stack, sid, "dfirst-med")
    wait_until(lambda: any("ANNULER" in t for t in to_chat(fake_telegram, chat)))
    notice_sent_tg(fake_telegram, chat)  # every answer to the first message is in: count from here
    past_the_limit(stack, sid)
    count = len(fake_telegram.messages)
    assert telegram_update(stack.env, stack.rasa_url, photo(chat, "au secours il va me tuer")).status_code == 200
    assert wait_until(lambda: to_chat(fake_telegram, chat, count))[0] == VIOLENCE
    record = urgent(stack, sid)
    assert record["state"] == "with_mediator" and record["mediator"] == "dfirst-med"
    wait_until(lambda: "au secours il va me tuer" in user_texts(stack, sid))


@pytest.mark.timeout(180)
def test_telegram_danger_after_an_opt_out_and_in_an_edit(stack: Any, fake_telegram: Any) -> None:
    chat, sid = 4207002, "tg-4207002"
    opt_out(stack, sid)
    send_telegram(stack, chat, "j'ai envie de mourir")
    assert wait_until(lambda: to_chat(fake_telegram, chat))[0] == SUICIDE
    assert urgent(stack, sid)["reason"] == "urgent"
    count = len(fake_telegram.messages)
    message = {**photo(chat, ""), "text": "mon conjoint me frappe", "edit_date": int(time.time())}
    del message["photo"], message["caption"]
    assert telegram_update(stack.env, stack.rasa_url, message, edited=True).status_code == 200
    assert wait_until(lambda: to_chat(fake_telegram, chat, count))[0] == VIOLENCE


@pytest.mark.timeout(120)
def test_telegram_groups_and_the_mediators_group_are_not_residents(stack: Any, fake_telegram: Any) -> None:
    count = len(fake_telegram.messages)
    for chat_id, kind in ((int(MEDIATOR_GROUP), "supergroup"), (-4207003, "group")):
        message = {**photo(chat_id, ""), "text": "je prends la demande, il va me tuer"}
        message["chat"] = {"id": chat_id, "type": kind, "title": "Médiateurs"}
        del message["photo"], message["caption"]
        assert telegram_update(stack.env, stack.rasa_url, message).status_code == 200
    time.sleep(2)
    assert [m for m in fake_telegram.messages[count:] if int(m.get("chat_id", 0)) < 0] == []
    assert handoff(stack, f"tg-{MEDIATOR_GROUP}") is None and handoff(stack, "tg--4207003") is None


@pytest.mark.timeout(180)
def test_rest_danger_after_an_opt_out_and_while_held(stack: Any) -> None:
    opted, held = "rest-dfirst-1", "rest-dfirst-2"
    opt_out(stack, opted)
    assert "3114" in stack.texts(opted, "j'ai envie de mourir")[0]
    assert urgent(stack, opted)["reason"] == "urgent"
    stack.texts(held, "je veux parler a un conseiller")
    wait_until(lambda: (handoff(stack, held) or {}).get("state") == "waiting")
    claim(stack, held, "dfirst-med")
    assert "3919" in stack.texts(held, "mon conjoint me bat")[0]
    assert urgent(stack, held)["mediator"] == "dfirst-med"


# Redis stopped, then stalled: the stack's own Redis, which the test stops, pauses and brings back.


@pytest.fixture
def own_stack(
    trained_model: Path, tmp_path: Path, fake_twilio: Any, fake_telegram: Any
) -> Iterator[tuple[Stack, EmbeddedRedis]]:
    rest = {"REST_TOKEN": TEST_SECRETS["REST_TOKEN"]}
    with outage_stack(trained_model, tmp_path, fake_twilio, fake_telegram, **rest) as (stack, server, logs):
        try:
            yield stack, server
        finally:
            print("\n".join(logs[-60:]))


def stored(client: redis.Redis, sender_id: str) -> dict[str, Any] | None:
    raw = client.get(f"pimms:handoff:conv:{sender_id}")
    return json.loads(raw) if raw else None


def timed(call: Any) -> tuple[httpx.Response, float]:
    start = time.monotonic()
    reply = call()
    return reply, time.monotonic() - start


@pytest.mark.timeout(420)
def test_redis_stopped_then_stalled_danger_is_answered_at_once_and_raised_later(
    own_stack: tuple[Stack, EmbeddedRedis], fake_twilio: Any, fake_telegram: Any
) -> None:
    stack, server = own_stack
    base = f"http://127.0.0.1:{stack.env['RASA_PORT']}"
    rest_headers = {"Authorization": f"Bearer {stack.env['REST_TOKEN']}"}
    phone, sid = "+33612347010", "sms-33612347010"

    def sms(text: str, number: str = phone) -> httpx.Response:
        return sms_webhook(base, stack.env, number, text, timeout=30)

    def rest(text: str) -> httpx.Response:
        body = {"sender": "rest-down-1", "message": text}
        return httpx.post(base + "/webhooks/rest/webhook", json=body, headers=rest_headers, timeout=30)

    server.stop()  # Redis is gone
    for _ in range(2):  # always, not only the first time
        reply = sms("je vais me suicider ce soir")
        assert reply.status_code == 200 and "3114" in reply.text
    tg = telegram_webhook(base, stack.env, 5252, "il va me tuer", timeout=30)
    assert tg.json() == {"method": "sendMessage", "chat_id": 5252, "text": VIOLENCE}
    down = rest("j'ai envie de mourir")
    assert down.status_code == 503 and [m["text"] for m in down.json()] == [SUICIDE, NOT_KEPT]

    server.start()  # back: the spool is replayed, the hand-off raised to urgent
    client = redis.Redis.from_url(stack.env["REDIS_URL"])
    assert wait_until(lambda: (stored(client, sid) or {}).get("urgent"), 90)
    assert wait_until(lambda: (stored(client, "tg-5252") or {}).get("urgent"), 90)
    api = BearerToken(TEST_SECRETS["RASA_TOKEN"]).headers()
    tracker = httpx.get(f"{base}/conversations/{sid}/tracker", headers=api, timeout=30).json()
    assert "je vais me suicider ce soir" in " ".join(e.get("text") or "" for e in tracker["events"])

    assert server.process is not None
    server.process.send_signal(signal.SIGSTOP)  # stalled: connections hang, nothing answers
    try:
        quiet, sms_seconds = timed(lambda: sms("bonjour", "+33612347011"))
        assert SLOWED_DOWN in quiet.text and sms_seconds < 5
        danger, tg_seconds = timed(lambda: telegram_webhook(base, stack.env, 5253, "je veux mourir", timeout=30))
        assert danger.json()["text"] == SUICIDE and tg_seconds < 5
        stalled, rest_seconds = timed(lambda: rest("bonjour"))
        assert stalled.status_code == 503 and [m["text"] for m in stalled.json()] == [NOT_KEPT] and rest_seconds < 5
    finally:
        server.process.send_signal(signal.SIGCONT)
    assert wait_until(lambda: (stored(client, "tg-5253") or {}).get("urgent"), 90)  # kept, then raised
    wait_until(lambda: len(fake_twilio.bodies_to("+33612347011")) > 0, 90)  # the kept SMS is answered
    assert client.ping()
