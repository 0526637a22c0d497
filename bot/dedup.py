"""Idempotency of webhook deliveries (Twilio MessageSid, Telegram update_id) in Redis.

A delivery is first marked *in progress* for ``PENDING_TTL`` seconds, then *done* when it was handled (for the
journalled messages, in the same transaction as the journal write: ``InboundJournal.add(delivered=...)``). A retry
that finds it in progress gets a retryable error (the provider delivers it again later); if the process handling it
died (a machine lost), the mark expires and that later retry is handled: nothing lost, nothing handled twice.
"""

from __future__ import annotations

from enum import Enum

import redis.asyncio as aioredis

DEFAULT_TTL = 3 * 24 * 3600
PENDING_TTL = 15  # seconds: longer than a webhook's handling (REDIS_DEADLINE), shorter than the provider's retries
_PENDING = "pending"


class Delivery(Enum):
    """What a webhook delivery is to us."""

    NEW = "new"  # handle it
    IN_PROGRESS = "in progress"  # another request handles it now: answer a retryable error
    DONE = "done"  # a retry of a delivery already handled: ignore it


def delivery_key(kind: str, key: str) -> str:
    """The Redis key of one delivery."""
    return f"pimms:dedup:{kind}:{key}"


async def claim_delivery(client: aioredis.Redis, kind: str, key: str) -> Delivery:
    """NEW the first time (marked in progress), IN_PROGRESS while that first handling runs, then DONE."""
    name = delivery_key(kind, key)
    if await client.set(name, _PENDING, nx=True, ex=PENDING_TTL):
        return Delivery.NEW
    value = await client.get(name)
    if value is None or (value.decode() if isinstance(value, bytes) else str(value)) == _PENDING:
        return Delivery.IN_PROGRESS  # (None: the mark expired just now; the next retry claims it)
    return Delivery.DONE


async def mark_delivered(client: aioredis.Redis, kind: str, key: str, ttl: int = DEFAULT_TTL) -> None:
    """The delivery was handled: every later retry is a duplicate."""
    await client.set(delivery_key(kind, key), "1", ex=ttl)


async def first_delivery(client: aioredis.Redis, kind: str, key: str, ttl: int = DEFAULT_TTL) -> bool:
    """True the first time ``(kind, key)`` is seen, False for every retry (atomic SET NX EX); marks it done."""
    created = await client.set(delivery_key(kind, key), "1", nx=True, ex=ttl)
    return bool(created)


async def forget_delivery(client: aioredis.Redis, kind: str, key: str) -> None:
    """Undo :func:`claim_delivery` when handling failed, so that the sender's retry is processed."""
    await client.delete(delivery_key(kind, key))
