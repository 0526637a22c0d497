"""A turn that fails after its answers went out (Redis failing over before the tracker is saved) is tried again
by the inbound pump: the resident gets each answer once."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import redis.asyncio as aioredis
from rasa.core.channels.channel import UserMessage
from redis.exceptions import ConnectionError as RedisConnectionError

from bot.inbound.journal import Claimed
from bot.privacy.keys import TRACKER_KEY
from channels.runtime import SENT_PREFIX, SENT_TTL, TurnReplies, turn_saved
from tests.fakes.sanic_harness import Echo, new_sid, post_sms, serve, sms_channel, twilio_form


class FailsOnceAfterAnswering(Echo):
    """Answers, then fails the first attempt as Rasa does when the tracker cannot be saved."""

    def __init__(self) -> None:
        super().__init__()
        self.attempts = 0

    async def __call__(self, message: UserMessage) -> None:
        self.attempts += 1
        await message.output_channel.send_text_message(message.sender_id, f"echo: {message.text}")
        await message.output_channel.send_text_message(message.sender_id, "autre chose ?")
        if self.attempts == 1:
            raise RedisConnectionError("the primary died before the tracker was saved")


async def test_a_retried_turn_does_not_send_its_answers_twice(redis_url: str, fake_twilio: Any) -> None:
    handler = FailsOnceAfterAnswering()
    channel = sms_channel(redis_url, fake_twilio.base_url, burst=0.0)
    async with serve(channel, handler) as base, httpx.AsyncClient(timeout=15) as http:
        assert (await post_sms(http, base, twilio_form("bonjour", new_sid(), phone="+33612340002"))).status_code == 200
        for _ in range(100):  # the pump tries again after a second
            if handler.attempts >= 2:
                break
            await asyncio.sleep(0.1)
        await asyncio.sleep(0.5)
    assert handler.attempts == 2
    assert [m["Body"] for m in fake_twilio.messages] == ["echo: bonjour", "autre chose ?"]


async def test_another_node_running_a_recovered_turn_sends_only_what_the_dead_one_had_not(redis_url: str) -> None:
    # Node A sent the first answer of a turn and died; node B runs the requeued turn: the first answer is known
    # from Redis (a hash, never the text), the second goes out.
    client = aioredis.Redis.from_url(redis_url)
    entries = [{"text": "horaires", "metadata": {"message_sid": "SM1"}}]
    on_a = TurnReplies().of("sms-33612340003", entries, client)
    assert not await on_a.already(0, "réponse 1")
    await on_a.record(0, "réponse 1")
    recovered = Claimed(entries)
    recovered.requeued = True
    on_b = TurnReplies().of("sms-33612340003", recovered, client)
    assert await on_b.already(0, "réponse 1")
    assert not await on_b.already(1, "réponse 2")
    for key in await client.keys(SENT_PREFIX + "*"):
        assert 0 < await client.ttl(key) <= SENT_TTL
        assert all(b"r\xc3\xa9ponse" not in value for value in await client.lrange(key, 0, -1))
    await client.close()


async def test_a_recovered_turn_already_saved_in_the_tracker_is_known(redis_url: str) -> None:
    client = aioredis.Redis.from_url(redis_url)
    events = [{"event": "user", "text": "horaires", "metadata": {"message_sid": "SM7"}}, {"event": "bot"}]
    await client.set(TRACKER_KEY.format(sender="sms-33612340004"), json.dumps({"events": events}))
    assert await turn_saved(client, "sms-33612340004", "SM7")
    assert not await turn_saved(client, "sms-33612340004", "SM8")
    assert not await turn_saved(client, "sms-33612340005", "SM7")
    await client.close()
