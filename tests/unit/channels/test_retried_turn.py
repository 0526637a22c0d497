"""A turn that fails after its answers went out (Redis failing over before the tracker is saved) is tried again
by the inbound pump: the resident gets each answer once."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from rasa.core.channels.channel import UserMessage
from redis.exceptions import ConnectionError as RedisConnectionError

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
