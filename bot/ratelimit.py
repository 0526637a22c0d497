"""Per-sender inbound rate limit (one polite notice, then silence) and daily outbound cap."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Literal
from zoneinfo import ZoneInfo

import redis.asyncio as aioredis

from bot.clock import system_clock

Verdict = Literal["ok", "notice", "silent"]
PARIS = ZoneInfo("Europe/Paris")


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
    """At most ``cap`` outbound messages per sender per calendar day (Europe/Paris)."""

    def __init__(self, client: aioredis.Redis, cap: int = 30, now: Callable[[], datetime] | None = None) -> None:
        self._client = client
        self.cap = cap
        self._now = now or system_clock(PARIS)

    async def allow(self, sender_id: str) -> bool:
        """Count one outbound message; False once the day's cap is reached."""
        day = self._now().astimezone(PARIS).date().isoformat()
        key = f"pimms:rl:out:{sender_id}:{day}"
        async with self._client.pipeline(transaction=True) as pipe:
            pipe.incr(key)
            pipe.expire(key, 2 * 24 * 3600)
            sent, _ = await pipe.execute()
        return bool(sent <= self.cap)
