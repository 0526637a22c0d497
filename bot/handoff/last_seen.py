"""When a held conversation last had a message (for the inactivity timeout)."""

from __future__ import annotations

import redis.asyncio as aioredis

from bot.handoff.store import PREFIX

LAST_SEEN_TTL = 14 * 24 * 3600


def last_seen_key(sender_id: str) -> str:
    """Epoch seconds of the last message (resident or mediator) in a held conversation; expires."""
    return f"{PREFIX}activity:{sender_id}"


async def touch(redis: aioredis.Redis, sender_id: str, now: float) -> None:
    """Someone wrote in the conversation at ``now``."""
    await redis.set(last_seen_key(sender_id), repr(now), ex=LAST_SEEN_TTL)


async def last_touched(redis: aioredis.Redis, sender_id: str) -> float:
    """The last ``touch`` (0 when none)."""
    raw = await redis.get(last_seen_key(sender_id))
    return float(raw) if raw else 0.0
