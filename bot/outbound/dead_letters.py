"""Messages that finally could not be delivered, kept for mediators (Redis list, expires, erasable)."""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import asdict, dataclass

import redis.asyncio as aioredis

DEAD_LETTERS_KEY = "pimms:outbound:dead"
DEAD_LETTERS_TTL = 30 * 24 * 3600
DEAD_LETTERS_MAX = 500
TEXT_MAX = 700


@dataclass(frozen=True)
class DeadLetter:
    """One undelivered message: to whom, what, why (provider detail, numbers masked), when."""

    id: str
    sender_id: str
    channel: str
    text: str
    detail: str
    at: float


class DeadLetters:
    """``pimms:outbound:dead``: newest first, at most 500, expires 30 days after the last one."""

    def __init__(self, client: aioredis.Redis, ttl: int = DEAD_LETTERS_TTL) -> None:
        self._client = client
        self._ttl = ttl

    async def add(self, sender_id: str, channel: str, text: str, detail: str, at: float | None = None) -> DeadLetter:
        """Keep one undelivered message."""
        letter = DeadLetter(uuid.uuid4().hex[:12], sender_id, channel, text[:TEXT_MAX], detail[:200], at or time.time())
        async with self._client.pipeline(transaction=True) as pipe:
            pipe.lpush(DEAD_LETTERS_KEY, json.dumps(asdict(letter), ensure_ascii=False))
            pipe.ltrim(DEAD_LETTERS_KEY, 0, DEAD_LETTERS_MAX - 1)
            pipe.expire(DEAD_LETTERS_KEY, self._ttl)
            await pipe.execute()
        return letter

    async def list(self, limit: int = 100) -> list[DeadLetter]:
        """The newest undelivered messages."""
        raw = await self._client.lrange(DEAD_LETTERS_KEY, 0, limit - 1)
        return [DeadLetter(**json.loads(item)) for item in raw]

    async def count(self) -> int:
        """How many are kept."""
        return int(await self._client.llen(DEAD_LETTERS_KEY))

    async def erase(self, sender_id: str) -> int:
        """Forget every dead letter of one person (privacy erasure); how many were removed."""
        removed = 0
        for item in await self._client.lrange(DEAD_LETTERS_KEY, 0, -1):
            if json.loads(item).get("sender_id") == sender_id:
                removed += int(await self._client.lrem(DEAD_LETTERS_KEY, 0, item))
        return removed
