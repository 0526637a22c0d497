"""Webhook idempotency keys in Redis."""

from __future__ import annotations

import asyncio

import redis.asyncio as aioredis

from bot.dedup import (
    PENDING_TTL,
    Delivery,
    claim_delivery,
    delivery_key,
    first_delivery,
    forget_delivery,
    mark_delivered,
)
from bot.inbound.journal import InboundJournal


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


async def test_a_delivery_in_progress_is_retried_later_and_a_dead_handler_lets_the_retry_through(
    redis_url: str,
) -> None:
    client = aioredis.Redis.from_url(redis_url)
    assert await claim_delivery(client, "twilio", "SM4") is Delivery.NEW
    assert await claim_delivery(client, "twilio", "SM4") is Delivery.IN_PROGRESS  # another request handles it
    assert 0 < await client.ttl(delivery_key("twilio", "SM4")) <= PENDING_TTL
    await client.delete(delivery_key("twilio", "SM4"))  # its process died: the pending mark expired
    assert await claim_delivery(client, "twilio", "SM4") is Delivery.NEW
    await mark_delivered(client, "twilio", "SM4")
    assert await claim_delivery(client, "twilio", "SM4") is Delivery.DONE
    assert await client.ttl(delivery_key("twilio", "SM4")) > PENDING_TTL
    await client.close()


async def test_the_journal_marks_the_delivery_done_with_the_message(redis_url: str) -> None:
    client = aioredis.Redis.from_url(redis_url)
    assert await claim_delivery(client, "twilio", "SM5") is Delivery.NEW
    journal = InboundJournal(client, "sms", "owner")
    await journal.add("sms-33600000005", {"text": "bonjour"}, 0.0, delivery_key("twilio", "SM5"))
    assert await claim_delivery(client, "twilio", "SM5") is Delivery.DONE
    assert await journal.pending("sms-33600000005") == 1
    await client.close()
