"""Idempotency of webhook deliveries (Twilio MessageSid, Telegram update_id) in Redis."""

from __future__ import annotations

import redis.asyncio as aioredis

DEFAULT_TTL = 3 * 24 * 3600


async def first_delivery(client: aioredis.Redis, kind: str, key: str, ttl: int = DEFAULT_TTL) -> bool:
    """True the first time ``(kind, key)`` is seen, False for every retry (atomic SET NX EX)."""
    created = await client.set(f"pimms:dedup:{kind}:{key}", "1", nx=True, ex=ttl)
    return bool(created)


async def forget_delivery(client: aioredis.Redis, kind: str, key: str) -> None:
    """Undo :func:`first_delivery` when handling failed, so that the sender's retry is processed."""
    await client.delete(f"pimms:dedup:{kind}:{key}")
