"""Danger first in every state, through the real SMS, Telegram and REST channels (Sanic on 127.0.0.1, real Redis,
fake Twilio / Telegram / Rasa API), in front of a handler that behaves like a paused Rasa (records, never
answers): opted out, STOP in the same message, rate limited, waiting, Redis down or stalled. Also: an opted-out
sender's message reaches the transcript, and Telegram group chats are ignored. The same on the whole stack:
tests/integration/test_danger_first_stack.py."""

from __future__ import annotations

import asyncio
import json
import socket
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis.asyncio as aioredis

from bot.danger_texts import danger_texts
from bot.handoff.store import HandoffStore
from bot.inbound.messages import NOT_KEPT, SLOWED_DOWN
from bot.optout import OptOutStore
from bot.settings import Settings, TelegramSettings, TwilioSettings
from channels.base import RouterInputChannel
from channels.rest import PrivacyRestInput
from channels.telegram import TelegramInput
from channels.twilio_sms import TwilioSmsInput, burst_flags
from tests.fakes.rasa_server import FakeRasa
from tests.fakes.sanic_harness import (
    TG_SECRET,
    TG_TOKEN,
    TWILIO_SID,
    TWILIO_TOKEN,
    credentials,
    new_sid,
    post_sms,
    post_tg,
    serve,
    tg_update,
    twilio_form,
)
from tests.sites import SITES_FILE
from tests.unit.channels.test_paused_channels import SMS_SENDER, PausedRasa

SUICIDE = danger_texts("suicide")[0]
VIOLENCE = danger_texts("violence")[0]
MEDIATORS = -1001234567890


def tg(redis_url: str, telegram_url: str, **changes: Any) -> TelegramInput:
    """The Telegram channel with the mediators' group configured (and ``changes``)."""
    telegram = TelegramSettings(TG_TOKEN, TG_SECRET, api_base_url=telegram_url, mediator_chat_id=str(MEDIATORS))
    channel = TelegramInput.from_credentials(
        credentials(telegram=telegram, redis_url=redis_url, privacy_notice=False, **changes)
    )
    assert isinstance(channel, TelegramInput)
    return channel


def rest_channel(redis_url: str) -> PrivacyRestInput:
    settings = Settings.from_env({"REDIS_URL": redis_url, "PIMMS_SITES_FILE": str(SITES_FILE)})
    return PrivacyRestInput(settings, token="", deployed=False)


async def settled(rasa: PausedRasa, count: int) -> None:
    """Wait for ``count`` messages at the (paused) Rasa, then for background sends."""
    for _ in range(200):
        if len(rasa.received) >= count:
            break
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.4)


@asynccontextmanager
async def sms_served(redis_url: str, twilio_url: str, **channel: Any) -> AsyncIterator[tuple[PausedRasa, Any]]:
    rasa = PausedRasa()
    twilio = TwilioSettings(TWILIO_SID, TWILIO_TOKEN, "+33700000000", api_base_url=twilio_url)
    sms = TwilioSmsInput.from_credentials(
        credentials(
            twilio=twilio,
            public_base_url="https://pimms.example.org",
            redis_url=redis_url,
            sms_burst_window=0.05,
            privacy_notice=False,
            **channel,
        )
    )
    assert isinstance(sms, TwilioSmsInput)
    async with serve(sms, rasa) as base, httpx.AsyncClient(timeout=30) as client:

        async def send(text: str) -> httpx.Response:
            return await post_sms(client, base, twilio_form(text, new_sid()))

        try:
            yield rasa, send
        finally:
            stop_replayer(sms)


def stop_replayer(channel: RouterInputChannel) -> None:
    if channel._replayer is not None:  # Redis never came back in this test
        channel._replayer.cancel()


async def test_sms_danger_after_an_opt_out_is_answered_forced_and_reaches_the_turn(
    redis_url: str, client: aioredis.Redis, fake_twilio: Any
) -> None:
    await OptOutStore(client).opt_out(SMS_SENDER)
    async with sms_served(redis_url, fake_twilio.base_url) as (rasa, sms):
        await sms("au secours il va me tuer")
        await settled(rasa, 1)
    assert [m["Body"] for m in fake_twilio.messages] == [VIOLENCE]
    assert [m.text for m in rasa.received] == ["au secours il va me tuer"]
    assert rasa.received[0].metadata["danger"] == "violence" and rasa.received[0].metadata["danger_answered"]


async def test_sms_danger_with_a_refusal_in_words_reaches_the_turn_and_opts_nobody_out(
    redis_url: str, client: aioredis.Redis, fake_twilio: Any
) -> None:
    async with sms_served(redis_url, fake_twilio.base_url) as (rasa, sms):
        await sms("je veux plus vivre, arrêtez vos messages")
        await settled(rasa, 1)
    assert [m.text for m in rasa.received] == ["je veux plus vivre, arrêtez vos messages"]
    assert rasa.received[0].metadata["danger"] == "suicide"  # the turn gives the number and the urgent hand-off
    assert not await OptOutStore(client).is_opted_out(SMS_SENDER)  # a refusal in words never opts out
    assert not any("STOP" in m["Body"] for m in fake_twilio.messages)  # and gets no hint in a danger message


async def test_sms_danger_while_waiting_and_opted_out_is_said_once_and_urgent(
    redis_url: str, client: aioredis.Redis, fake_twilio: Any
) -> None:
    handoffs = HandoffStore(client)
    await handoffs.request(SMS_SENDER)
    await OptOutStore(client).opt_out(SMS_SENDER)
    async with sms_served(redis_url, fake_twilio.base_url) as (rasa, sms):
        await sms("j'ai envie de mourir")
        await settled(rasa, 1)
    assert [m["Body"] for m in fake_twilio.messages] == [SUICIDE]  # by admission; the waiting gate only records
    record = await handoffs.get(SMS_SENDER)
    assert record is not None and record.urgent


async def test_sms_of_an_opted_out_sender_reaches_the_transcript_unanswered(
    redis_url: str, client: aioredis.Redis, fake_twilio: Any
) -> None:
    await OptOutStore(client).opt_out(SMS_SENDER)
    fake_rasa = FakeRasa()
    try:
        async with sms_served(redis_url, fake_twilio.base_url, rasa_url=fake_rasa.url, rasa_token=fake_rasa.token) as (
            rasa,
            sms,
        ):
            await sms("vous êtes ouverts samedi ?")
            for _ in range(100):
                if fake_rasa.dialogue(SMS_SENDER):
                    break
                await asyncio.sleep(0.05)
            await asyncio.sleep(0.3)
    finally:
        fake_rasa.close()
    assert [(kind, text) for kind, text, _ in fake_rasa.dialogue(SMS_SENDER)] == [
        ("user", "vous êtes ouverts samedi ?")
    ]
    assert rasa.received == [] and fake_twilio.messages == []  # no turn, no answer


async def test_telegram_danger_past_the_rate_limit_reaches_the_turn(
    redis_url: str, client: aioredis.Redis, fake_telegram: Any
) -> None:
    await client.set("pimms:rl:in:tg-4242", 50, ex=600)
    rasa = PausedRasa()
    async with serve(tg(redis_url, fake_telegram.base_url), rasa) as base, httpx.AsyncClient() as c:
        await post_tg(c, base, tg_update(4001, "bonjour ?", chat_id=4242))
        await post_tg(c, base, tg_update(4002, "je vais me tuer", chat_id=4242))
        await settled(rasa, 1)
    assert [m.text for m in rasa.received] == ["je vais me tuer"]
    assert fake_telegram.messages == []


def photo_update(update_id: int, caption: str, chat_id: int) -> dict[str, Any]:
    update = tg_update(update_id, "", chat_id=chat_id)
    message = update["message"]
    del message["text"]
    message["caption"] = caption
    message["photo"] = [{"file_id": "f1", "file_unique_id": "u1", "width": 90, "height": 90}]
    return update


def edited_update(update_id: int, text: str, chat_id: int) -> dict[str, Any]:
    update = tg_update(update_id, text, chat_id=chat_id)
    update["edited_message"] = {**update.pop("message"), "edit_date": 1764230500}
    return update


async def test_telegram_caption_and_edit_are_read_for_danger_while_waiting(
    redis_url: str, client: aioredis.Redis, fake_telegram: Any
) -> None:
    handoffs = HandoffStore(client)
    await handoffs.request("tg-4243")
    rasa = PausedRasa()
    async with serve(tg(redis_url, fake_telegram.base_url), rasa) as base, httpx.AsyncClient() as c:
        await post_tg(c, base, photo_update(4101, "au secours il va me tuer", 4243))
        await post_tg(c, base, edited_update(4102, "j'ai envie de mourir", 4243))
        await settled(rasa, 2)
    texts = [m["text"] for m in fake_telegram.messages if m["chat_id"] == 4243]
    assert texts == [VIOLENCE, SUICIDE]
    assert [m.text for m in rasa.received] == ["au secours il va me tuer", "j'ai envie de mourir"]
    record = await handoffs.get("tg-4243")
    assert record is not None and record.urgent


def group_update(update_id: int, chat_id: int, chat_type: str) -> dict[str, Any]:
    update = tg_update(update_id, "je prends la demande", chat_id=chat_id)
    update["message"]["chat"] = {"id": chat_id, "type": chat_type, "title": "Médiateurs"}
    return update


@pytest.mark.parametrize(
    ("chat_id", "chat_type"), [(MEDIATORS, "supergroup"), (-4242, "group"), (-1009, "channel"), (MEDIATORS, "private")]
)
async def test_telegram_chats_that_are_not_a_resident_are_ignored(
    redis_url: str, client: aioredis.Redis, fake_telegram: Any, chat_id: int, chat_type: str
) -> None:
    channel = tg(redis_url, fake_telegram.base_url)
    rasa = PausedRasa()
    async with serve(channel, rasa) as base, httpx.AsyncClient() as c:
        reply = await post_tg(c, base, group_update(4201, chat_id, chat_type))
        await asyncio.sleep(0.5)
    assert reply.status_code == 200 and reply.json() == {}
    assert rasa.received == [] and fake_telegram.messages == []
    assert [k async for k in client.scan_iter("pimms:inbound:*")] == []  # not journaled


def dead_redis_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"redis://127.0.0.1:{port}/0"


@pytest.fixture
def stalled_redis_url() -> Iterator[str]:
    """A Redis that accepts connections and never answers (a paused VM, a blackholed network)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    yield f"redis://127.0.0.1:{sock.getsockname()[1]}/0"
    sock.close()


async def test_sms_danger_while_redis_is_down_is_answered_in_the_twiml_every_time(
    fake_twilio: Any, tmp_path: Path
) -> None:
    async with sms_served(dead_redis_url(), fake_twilio.base_url, data_dir=tmp_path) as (rasa, sms):
        first = await sms("bonjour")
        danger = await sms("je vais me suicider ce soir")
        again = await sms("je vais me suicider ce soir")
    assert SLOWED_DOWN in first.text
    for reply in (danger, again):
        assert reply.status_code == 200 and "3114" in reply.text and SLOWED_DOWN not in reply.text
    lines = (tmp_path / "spool" / "sms.jsonl").read_text().splitlines()
    records = [json.loads(line)["record"] for line in lines]  # each line: {"spooled_at": ..., "record": ...}
    assert [bool(r.get("danger_answered")) for r in records] == [False, True, True]  # the replay knows


async def test_telegram_danger_while_redis_is_down_is_answered_in_the_webhook_reply(
    fake_telegram: Any, tmp_path: Path
) -> None:
    channel = tg(dead_redis_url(), fake_telegram.base_url, data_dir=tmp_path)
    rasa = PausedRasa()
    async with serve(channel, rasa) as base, httpx.AsyncClient(timeout=30) as c:
        plain = await post_tg(c, base, tg_update(4301, "bonjour", chat_id=77))
        caption = await post_tg(c, base, photo_update(4302, "il va me tuer", 77))
        again = await post_tg(c, base, tg_update(4303, "il va me tuer", chat_id=77))
        stop_replayer(channel)
    assert plain.json()["text"] == SLOWED_DOWN
    for reply in (caption, again):
        assert reply.json() == {"method": "sendMessage", "chat_id": 77, "text": VIOLENCE}


async def test_rest_while_redis_is_down_answers_503_in_french_with_the_emergency_texts() -> None:
    async with serve(rest_channel(dead_redis_url()), PausedRasa()) as base, httpx.AsyncClient(timeout=30) as c:
        plain = await c.post(base + "/webhooks/rest/webhook", json={"sender": "rest-1", "message": "bonjour"})
        danger = await c.post(base + "/webhooks/rest/webhook", json={"sender": "rest-1", "message": "je veux mourir"})
    assert plain.status_code == 503 and [m["text"] for m in plain.json()] == [NOT_KEPT]
    assert danger.status_code == 503 and [m["text"] for m in danger.json()] == [SUICIDE, NOT_KEPT]


async def test_a_stalled_redis_gets_a_clear_answer_within_5_seconds(
    stalled_redis_url: str, fake_twilio: Any, tmp_path: Path
) -> None:
    async with sms_served(stalled_redis_url, fake_twilio.base_url, data_dir=tmp_path) as (rasa, sms):
        start = time.monotonic()
        reply = await sms("bonjour")
        sms_seconds = time.monotonic() - start
    assert SLOWED_DOWN in reply.text and sms_seconds < 5
    async with serve(rest_channel(stalled_redis_url), PausedRasa()) as base, httpx.AsyncClient(timeout=30) as c:
        start = time.monotonic()
        rest = await c.post(base + "/webhooks/rest/webhook", json={"sender": "rest-1", "message": "je veux mourir"})
        rest_seconds = time.monotonic() - start
    assert rest.status_code == 503 and [m["text"] for m in rest.json()] == [SUICIDE, NOT_KEPT] and rest_seconds < 5


def test_a_burst_keeps_the_danger_of_any_of_its_sms() -> None:
    flags = burst_flags([{"danger": "suicide", "danger_answered": True}, {"record_only": True}])
    assert flags == {"record_only": False, "danger": "suicide", "danger_answered": True}
    assert burst_flags([{"record_only": True}, {"record_only": True}]) == {"record_only": True}
