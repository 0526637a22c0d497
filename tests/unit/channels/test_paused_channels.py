"""Our SMS and Telegram channels on a real Sanic server with real Redis and the fake providers, in front of a
handler that behaves like a paused Rasa (records, never answers): the channel itself answers danger,
acknowledges waiting residents (REST: in the HTTP response) and takes STOP before the rate limit. The same on
the whole stack:
tests/integration/test_paused_stack.py."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import httpx
import pytest
import redis.asyncio as aioredis
from rasa.core.channels.channel import UserMessage

from bot.handoff.store import HandoffStore
from bot.handoff.waiting import ack_key
from bot.settings import Settings
from channels.rest import PrivacyRestInput
from tests.fakes.sanic_harness import post_tg, serve, sms_resident, tg_channel, tg_update
from tests.sites import SITES_FILE

SMS_SENDER = "sms-33612345678"
Sms = Callable[[str], Awaitable[httpx.Response]]


class PausedRasa:
    """Like Rasa on a paused conversation: the message is recorded, no action runs, nothing is sent."""

    def __init__(self) -> None:
        self.received: list[UserMessage] = []

    async def __call__(self, message: UserMessage) -> None:
        self.received.append(message)


@pytest.fixture
async def waiting(client: aioredis.Redis) -> HandoffStore:
    """The hand-off store, the SMS resident already waiting for a mediator."""
    handoffs = HandoffStore(client)
    await handoffs.request(SMS_SENDER)
    return handoffs


@asynccontextmanager
async def paused_sms(redis_url: str, twilio_url: str) -> AsyncIterator[tuple[PausedRasa, Sms]]:
    """The SMS channel in front of a paused Rasa; ``sms(text)`` is a signed SMS from the resident."""
    rasa = PausedRasa()
    async with sms_resident(redis_url, twilio_url, rasa, burst=0.05) as sms:
        yield rasa, sms


async def test_sms_stop_after_the_rate_limit_opts_out(redis_url: str, client: aioredis.Redis, fake_twilio) -> None:
    await client.set(f"pimms:rl:in:{SMS_SENDER}", 50, ex=600)  # far past the limit
    async with paused_sms(redis_url, fake_twilio.base_url) as (rasa, sms):
        await sms("STOP")
        await sms("stop")
        confirmation = await asyncio.to_thread(fake_twilio.wait_for, 1)
        await asyncio.sleep(0.3)
    assert "plus de SMS" in confirmation[0]["Body"] and len(fake_twilio.messages) == 1  # confirmed once
    assert await client.exists(f"pimms:optout:{SMS_SENDER}")


async def test_sms_danger_while_waiting_is_answered_and_urgent(
    redis_url: str, waiting: HandoffStore, fake_twilio
) -> None:
    async with paused_sms(redis_url, fake_twilio.base_url) as (rasa, sms):
        await sms("j'ai envie de mourir")
        sent = await asyncio.to_thread(fake_twilio.wait_for, 1)
    assert sent[0]["Body"].startswith("Appelez maintenant le 3114")
    record = await waiting.get(SMS_SENDER)
    assert record.urgent and record.reason.value == "urgent"
    assert [m.text for m in rasa.received] == ["j'ai envie de mourir"]  # Rasa still records it


async def test_telegram_danger_while_held_and_silence_otherwise(
    redis_url: str, client: aioredis.Redis, fake_telegram
) -> None:
    handoffs = HandoffStore(client)
    await handoffs.request("tg-4242")
    await handoffs.claim("tg-4242", "alice")
    rasa = PausedRasa()
    async with serve(tg_channel(redis_url, fake_telegram.base_url), rasa) as base, httpx.AsyncClient() as c:
        await post_tg(c, base, tg_update(3001, "mon conjoint me bat", chat_id=4242))
        sent = await asyncio.to_thread(fake_telegram.wait_for, 1)
        await post_tg(c, base, tg_update(3002, "vous êtes là ?", chat_id=4242))
        while len(rasa.received) < 2:
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.3)
    assert "3919" in sent[0]["text"] and sent[0]["chat_id"] == 4242
    assert len(fake_telegram.messages) == 1  # a mediator holds it: no acknowledgement
    record = await handoffs.get("tg-4242")
    assert record.urgent and record.mediator == "alice"


async def test_sms_waiting_resident_gets_one_acknowledgement(
    redis_url: str, waiting: HandoffStore, fake_twilio
) -> None:
    async with paused_sms(redis_url, fake_twilio.base_url) as (rasa, sms):
        await sms("c'est pour mon dossier caf")
        ack = await asyncio.to_thread(fake_twilio.wait_for, 1)
        await sms("j'ai le courrier avec moi")
        while len(rasa.received) < 2:
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.3)
    assert ack[0]["Body"].startswith("Votre message est bien recu.")
    assert len(fake_twilio.messages) == 1
    assert [m.text for m in rasa.received] == ["c'est pour mon dossier caf", "j'ai le courrier avec moi"]


async def test_danger_passes_the_rate_limit(
    redis_url: str, client: aioredis.Redis, waiting: HandoffStore, fake_twilio
) -> None:
    await client.set(f"pimms:rl:in:{SMS_SENDER}", 50, ex=600)
    async with paused_sms(redis_url, fake_twilio.base_url) as (rasa, sms):
        await sms("bonjour ?")
        await sms("je vais me tuer")
        sent = await asyncio.to_thread(fake_twilio.wait_for, 1)
        await asyncio.sleep(0.3)
    assert len(sent) == 1 and "3114" in sent[0]["Body"]
    assert [m.text for m in rasa.received] == ["je vais me tuer"]


async def test_rest_danger_and_acknowledgement_while_paused_are_in_the_response(
    redis_url: str, client: aioredis.Redis
) -> None:
    handoffs = HandoffStore(client)
    await handoffs.request("rest-waiting")
    await handoffs.request("rest-held")
    await handoffs.claim("rest-held", "alice")
    rasa = PausedRasa()
    channel = PrivacyRestInput(
        Settings.from_env({"REDIS_URL": redis_url, "PIMMS_SITES_FILE": str(SITES_FILE)}), token="", deployed=False
    )
    async with serve(channel, rasa) as base, httpx.AsyncClient(timeout=10) as c:

        async def say(sender: str, text: str) -> list[str]:
            reply = await c.post(base + "/webhooks/rest/webhook", json={"sender": sender, "message": text})
            assert reply.status_code == 200
            return [m["text"] for m in reply.json()]

        danger = await say("rest-waiting", "j'ai envie de mourir")
        assert len(danger) == 1 and danger[0].startswith("Appelez maintenant le 3114")
        await client.delete(ack_key("rest-waiting"))  # the acknowledgement interval is over
        ack = await say("rest-waiting", "c'est pour la caf")
        assert len(ack) == 1 and ack[0].startswith("Votre message est bien reçu.")
        assert await say("rest-waiting", "merci") == []  # at most one per interval
        asked = await say("rest-waiting", "allo ?")  # a direct question: the place in the queue, once a minute
        assert len(asked) == 1 and "dans la file d'attente" in asked[0]
        assert await say("rest-waiting", "vous êtes là ?") == []
        assert await say("rest-held", "vous êtes là ?") == []  # a mediator holds it: silence
        held_danger = await say("rest-held", "mon conjoint me bat")
        assert "3919" in held_danger[0]
    waiting, held = await handoffs.get("rest-waiting"), await handoffs.get("rest-held")
    assert waiting.urgent and waiting.reason.value == "urgent" and waiting.state.value == "waiting"
    assert held.urgent and held.mediator == "alice"
    assert [m.text for m in rasa.received] == [
        "j'ai envie de mourir",
        "c'est pour la caf",
        "merci",
        "allo ?",
        "vous êtes là ?",
        "vous êtes là ?",
        "mon conjoint me bat",
    ]  # Rasa still records every message for the mediator's transcript
