"""The SMS channel (real Sanic server, real Redis, fake Twilio) and the opt-out decision: a keyword opts out
at once, a refusal in words only gets "répondez STOP", a near miss goes on to the assistant."""

from __future__ import annotations

import asyncio

import redis.asyncio as aioredis
from rasa.core.channels.channel import UserMessage

from bot import notices
from tests.fakes.sanic_harness import sms_resident

SENDER = "sms-33612345678"


class Recorder:
    """Stands for Rasa: records what reaches it."""

    def __init__(self) -> None:
        self.received: list[UserMessage] = []

    async def __call__(self, message: UserMessage) -> None:
        self.received.append(message)


async def test_a_refusal_in_words_gets_the_hint_and_no_opt_out(
    redis_url: str, client: aioredis.Redis, fake_twilio
) -> None:
    rasa = Recorder()
    async with sms_resident(redis_url, fake_twilio.base_url, rasa, burst=0.05) as sms:
        await sms("je veux plus recevoir vos sms")
        sent = await asyncio.to_thread(fake_twilio.wait_for, 1)
        await asyncio.sleep(0.3)
    assert [m["Body"] for m in sent] == [notices.SMS_STOP_HINT]
    assert not await client.exists(f"pimms:optout:{SENDER}")
    assert rasa.received == []


async def test_a_near_miss_reaches_the_assistant(redis_url: str, client: aioredis.Redis, fake_twilio) -> None:
    rasa = Recorder()
    async with sms_resident(redis_url, fake_twilio.base_url, rasa, burst=0.05) as sms:
        await sms("je voudrais plus d'informations par sms")
        while not rasa.received:
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.2)
    assert [m.text for m in rasa.received] == ["je voudrais plus d'informations par sms"]
    assert fake_twilio.messages == []
    assert not await client.exists(f"pimms:optout:{SENDER}")


async def test_the_hint_is_not_sent_once_opted_out(redis_url: str, client: aioredis.Redis, fake_twilio) -> None:
    rasa = Recorder()
    async with sms_resident(redis_url, fake_twilio.base_url, rasa, burst=0.05) as sms:
        await sms("STOP")
        sent = await asyncio.to_thread(fake_twilio.wait_for, 1)
        await sms("merci de ne plus m'envoyer de messages")
        await asyncio.sleep(0.5)
    assert "plus de SMS" in sent[0]["Body"] and len(fake_twilio.messages) == 1
    assert await client.exists(f"pimms:optout:{SENDER}") and rasa.received == []
