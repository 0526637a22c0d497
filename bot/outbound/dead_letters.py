"""Messages that finally could not be delivered, kept for mediators (Redis sorted set by time, erasable).

Each entry lives at most ``DEAD_LETTERS_TTL`` (30 days, as the privacy notice says): entries are scored by the
time they failed, every write removes the older ones, the reminder worker's sweep (``prune``) removes them even
when nothing fails any more, and reads ignore them. The key itself expires 30 days after the newest entry.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
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


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


class DeadLetters:
    """``pimms:outbound:dead``: newest first, at most 500, none older than 30 days."""

    def __init__(
        self, client: aioredis.Redis, ttl: int = DEAD_LETTERS_TTL, clock: Callable[[], float] = time.time
    ) -> None:
        self._client = client
        self._ttl = ttl
        self._clock = clock

    def _oldest_kept(self) -> float:
        return self._clock() - self._ttl

    async def add(self, sender_id: str, channel: str, text: str, detail: str, at: float | None = None) -> DeadLetter:
        """Keep one undelivered message (and drop those past their age)."""
        letter = DeadLetter(
            uuid.uuid4().hex[:12], sender_id, channel, text[:TEXT_MAX], detail[:200], at or self._clock()
        )
        await self._upgrade()
        async with self._client.pipeline(transaction=True) as pipe:
            pipe.zadd(DEAD_LETTERS_KEY, {json.dumps(asdict(letter), ensure_ascii=False): letter.at})
            pipe.zremrangebyscore(DEAD_LETTERS_KEY, "-inf", f"({self._oldest_kept()}")
            pipe.zremrangebyrank(DEAD_LETTERS_KEY, 0, -(DEAD_LETTERS_MAX + 1))
            pipe.expire(DEAD_LETTERS_KEY, self._ttl)
            await pipe.execute()
        return letter

    async def prune(self) -> int:
        """Remove the entries past their age (the sweep); how many."""
        await self._upgrade()
        return int(await self._client.zremrangebyscore(DEAD_LETTERS_KEY, "-inf", f"({self._oldest_kept()}"))

    async def list(self, limit: int = 100) -> list[DeadLetter]:
        """The newest undelivered messages (never one past its age, even before the sweep)."""
        await self._upgrade()
        raw = await self._client.zrevrangebyscore(DEAD_LETTERS_KEY, "+inf", self._oldest_kept(), start=0, num=limit)
        return [DeadLetter(**json.loads(item)) for item in raw]

    async def count(self) -> int:
        """How many are kept."""
        await self._upgrade()
        return int(await self._client.zcount(DEAD_LETTERS_KEY, self._oldest_kept(), "+inf"))

    async def oldest(self) -> float | None:
        """When the oldest entry failed (the retention check compares it with 30 days), or None."""
        await self._upgrade()
        first = await self._client.zrange(DEAD_LETTERS_KEY, 0, 0, withscores=True)
        return float(first[0][1]) if first else None

    async def erase(self, sender_id: str) -> int:
        """Forget every dead letter of one person (privacy erasure); how many were removed."""
        await self._upgrade()
        doomed = [
            item
            for item in await self._client.zrange(DEAD_LETTERS_KEY, 0, -1)
            if json.loads(item).get("sender_id") == sender_id
        ]
        return int(await self._client.zrem(DEAD_LETTERS_KEY, *doomed)) if doomed else 0

    async def _upgrade(self) -> None:
        """Before December 2026 this key was a list: turn it into the sorted set (entries keep their time)."""
        if _text(await self._client.type(DEAD_LETTERS_KEY)) != "list":
            return
        items = await self._client.lrange(DEAD_LETTERS_KEY, 0, -1)
        async with self._client.pipeline(transaction=True) as pipe:
            pipe.delete(DEAD_LETTERS_KEY)
            if items:
                pipe.zadd(DEAD_LETTERS_KEY, {item: float(json.loads(item).get("at") or 0) for item in items})
                pipe.zremrangebyscore(DEAD_LETTERS_KEY, "-inf", f"({self._oldest_kept()}")
                pipe.expire(DEAD_LETTERS_KEY, self._ttl)
            await pipe.execute()
