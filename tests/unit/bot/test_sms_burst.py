"""The SMS burst buffer against real Redis: only the latest message's task takes the merged burst."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import redis.asyncio as aioredis

from bot.sms.burst import KEEP_SECONDS, BurstBuffer, burst_keys


@pytest.fixture
async def client(redis_url: str) -> AsyncIterator[aioredis.Redis]:
    redis = aioredis.Redis.from_url(redis_url)
    yield redis
    await redis.close()


async def test_only_the_latest_token_takes_the_whole_burst(client: aioredis.Redis) -> None:
    burst = BurstBuffer(client, window=0.0)
    first = await burst.add("sms-1", "bonjour")
    last = await burst.add("sms-1", "je veux un rdv")
    assert await burst.take_after_window("sms-1", first) == []
    assert await burst.take("sms-1", last) == ["bonjour", "je veux un rdv"]
    assert await burst.take("sms-1", last) == []
    assert not await client.exists(*burst_keys("sms-1"))


async def test_pending_texts_expire_and_stop_drops_them(client: aioredis.Redis) -> None:
    burst = BurstBuffer(client, window=-1.0)
    assert burst.window == 0.0
    await burst.add("sms-2", "texte")
    for key in burst_keys("sms-2"):
        assert 0 < await client.ttl(key) <= KEEP_SECONDS
    await burst.drop("sms-2")
    assert not await client.exists(*burst_keys("sms-2"))
