"""Per-sender inbound rate limit (one polite notice, then silence) and daily outbound cap."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Literal

import redis.asyncio as aioredis

from bot.clock import PARIS, system_clock

Verdict = Literal["ok", "notice", "silent"]


class InboundRateLimiter:
    """At most ``count`` messages per ``window`` seconds per sender (fixed window from the first one)."""

    def __init__(self, client: aioredis.Redis, count: int = 20, window: int = 600) -> None:
        self._client = client
        self.count = count
        self.window = window

    async def check(self, sender_id: str) -> Verdict:
        """Count one inbound message: ``ok``, ``notice`` (first excess: say it once) or ``silent``."""
        key = f"pimms:rl:in:{sender_id}"
        async with self._client.pipeline(transaction=True) as pipe:
            pipe.set(key, 0, ex=self.window, nx=True)
            pipe.incr(key)
            _, seen = await pipe.execute()
        if seen <= self.count:
            return "ok"
        return "notice" if seen == self.count + 1 else "silent"


class OutboundCap:
    """At most ``cap`` automatic outbound SMS segments (or Telegram/callback messages) per sender per day.

    Segments, not messages: a long answer cut in four SMS costs four (issue 22, L4). A message that would go
    past the cap is refused whole and not counted, so a shorter one may still fit. Mediators' replies are not
    capped at all (the router skips this for them): a person must always be able to answer a resident.
    """

    def __init__(self, client: aioredis.Redis, cap: int = 60, now: Callable[[], datetime] | None = None) -> None:
        self._client = client
        self.cap = cap
        self._now = now or system_clock(PARIS)

    async def allow(self, sender_id: str, units: int = 1) -> bool:
        """Count ``units`` segments of one message; False (nothing counted) when they exceed the day's cap."""
        day = self._now().astimezone(PARIS).date().isoformat()
        key = f"pimms:rl:out:{sender_id}:{day}"
        units = max(1, units)
        async with self._client.pipeline(transaction=True) as pipe:
            pipe.incrby(key, units)
            pipe.expire(key, 2 * 24 * 3600)
            sent, _ = await pipe.execute()
        if sent <= self.cap:
            return True
        await self._client.decrby(key, units)
        return False
