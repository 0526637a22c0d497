"""The primary fails between journalling an SMS and the replica's confirmation (WAIT): the webhook answers 503
without spooling it, and Twilio's retry (same MessageSid) is recognised as already journalled: answered once.

A real Redis ACL user that may not run WAIT stands for the primary that dies before answering it."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import replace
from typing import Any
from urllib.parse import urlparse

import httpx
import redis.asyncio as aioredis

from tests.fakes.sanic_harness import Echo, new_sid, post_sms, serve, sms_channel, twilio_form


async def test_a_failed_wait_answers_503_and_the_retry_is_not_journalled_twice(
    redis_url: str, client: aioredis.Redis, fake_twilio: Any, tmp_path: Any
) -> None:
    user, password = f"nowait-{uuid.uuid4().hex[:8]}", uuid.uuid4().hex
    await client.execute_command("ACL", "SETUSER", user, "on", f">{password}", "~*", "&*", "+@all", "-wait")
    try:
        parsed = urlparse(redis_url)
        url = f"redis://{user}:{password}@{parsed.hostname}:{parsed.port}{parsed.path}"
        channel = sms_channel(url, fake_twilio.base_url, burst=0.0, data_dir=tmp_path)
        channel.settings = replace(channel.settings, redis_wait_replicas=1)
        channel.runtime._settings = channel.settings  # the Redis client is built from these on first use
        echo = Echo()
        form = twilio_form("bonjour", new_sid(), phone="+33612340001")
        async with serve(channel, echo) as base, httpx.AsyncClient(timeout=15) as http:
            first = await post_sms(http, base, form)
            assert first.status_code == 503  # not acknowledged: Twilio delivers it again
            assert not (tmp_path / "spool" / "sms.jsonl").exists()  # and it was not kept twice (spool + journal)
            retry = await post_sms(http, base, form)
            assert retry.status_code == 200 and "<Message>" not in retry.text
            for _ in range(100):  # the turn runs in this loop: wait without blocking it
                if fake_twilio.messages:
                    break
                await asyncio.sleep(0.1)
        assert [m.text for m in echo.received] == ["bonjour"]  # one turn
        assert [m["Body"] for m in fake_twilio.messages] == ["echo: bonjour"]
    finally:
        await client.execute_command("ACL", "DELUSER", user)
