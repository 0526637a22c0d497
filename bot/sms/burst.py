"""SMS bursts: a resident's messages sent within a few seconds are merged into one turn.

Each message is appended to a per-sender list in Redis with a fresh token; after the burst window, the
task holding the latest token takes the whole list (one atomic Lua script, so any process may flush).
Keys expire after ``KEEP_SECONDS`` and are named by ``burst_keys`` (erasure finds them there).
"""

from __future__ import annotations

import asyncio
import uuid

import redis.asyncio as aioredis

PREFIX = "pimms:sms:burst:"
KEEP_SECONDS = 600

# Pop the burst only if no newer message arrived meanwhile.
_TAKE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  local items = redis.call('LRANGE', KEYS[2], 0, -1)
  redis.call('DEL', KEYS[1], KEYS[2])
  return items
end
return false
"""


def burst_keys(sender_id: str) -> tuple[str, str]:
    """The key holding the latest token and the list of pending texts of a sender."""
    return f"{PREFIX}{sender_id}:latest", f"{PREFIX}{sender_id}:items"


class BurstBuffer:
    """Pending SMS texts per sender, merged after ``window`` seconds of quiet."""

    def __init__(self, redis: aioredis.Redis, window: float) -> None:
        self._redis = redis
        self.window = max(0.0, window)

    async def add(self, sender_id: str, text: str) -> str:
        """Append a text; returns the token that identifies it as the latest of the burst."""
        latest, items = burst_keys(sender_id)
        token = uuid.uuid4().hex
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.rpush(items, text)
            pipe.expire(items, KEEP_SECONDS)
            pipe.set(latest, token, ex=KEEP_SECONDS)
            await pipe.execute()
        return token

    async def take(self, sender_id: str, token: str) -> list[str]:
        """The burst's texts if ``token`` is still the latest (then they are removed), else []."""
        latest, items = burst_keys(sender_id)
        popped = await self._redis.eval(_TAKE, 2, latest, items, token)
        if not popped:
            return []
        return [p.decode() if isinstance(p, bytes) else str(p) for p in popped]

    async def take_after_window(self, sender_id: str, token: str) -> list[str]:
        """Wait for the burst window, then ``take``: [] when a newer message will flush instead."""
        await asyncio.sleep(self.window)
        return await self.take(sender_id, token)

    async def drop(self, sender_id: str) -> None:
        """Forget a sender's pending texts (STOP, erasure)."""
        await self._redis.delete(*burst_keys(sender_id))
