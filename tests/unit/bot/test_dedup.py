"""Webhook idempotency keys in Redis."""

from __future__ import annotations

import asyncio

import redis.asyncio as aioredis

from bot.dedup import first_delivery, forget_delivery


async def test_first_delivery_only_once(redis_url: str) -> None:
    client = aioredis.Redis.from_url(redis_url)
    assert await first_delivery(client, "twilio", "SM1")
    assert not await first_delivery(client, "twilio", "SM1")
    assert await first_delivery(client, "telegram", "SM1")
    ttl = await client.ttl("pimms:dedup:twilio:SM1")
    assert 0 < ttl <= 3 * 24 * 3600
    await client.close()


async def test_concurrent_retries_let_exactly_one_through(redis_url: str) -> None:
    clients = [aioredis.Redis.from_url(redis_url) for _ in range(5)]
    results = await asyncio.gather(*(first_delivery(c, "twilio", "SM2") for c in clients))
    assert sorted(results) == [False] * 4 + [True]
    for client in clients:
        await client.close()


async def test_a_failed_delivery_is_forgotten_so_the_retry_goes_through(redis_url: str) -> None:
    client = aioredis.Redis.from_url(redis_url)
    assert await first_delivery(client, "twilio", "SM3")
    await forget_delivery(client, "twilio", "SM3")  # handling failed: Twilio gets a 503 and retries
    assert await first_delivery(client, "twilio", "SM3")
    assert not await first_delivery(client, "twilio", "SM3")
    await client.close()
