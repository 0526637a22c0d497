"""Changes mediators make to one day of a site: an exceptional closure or extra counters (Redis).

The static calendar lives in config/sites.yml; these keys add to it for a given day and expire a few days
after it. Booking asks ``DayOverrides`` for every day it offers or books.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import redis.asyncio as aioredis

from bot.clock import Clock, system_clock

PREFIX = "pimms:agenda:"
KEEP_AFTER = timedelta(days=7)


def closed_key(site_id: str, day: date) -> str:
    """Set when the site is closed that day (value: who closed it)."""
    return f"{PREFIX}closed:{site_id}:{day.isoformat()}"


def extra_key(site_id: str, day: date) -> str:
    """Number of extra counters open that day."""
    return f"{PREFIX}extra:{site_id}:{day.isoformat()}"


class DayOverrides:
    """Read and write per-day closures and extra counters."""

    def __init__(self, redis: aioredis.Redis, tz: ZoneInfo, clock: Clock | None = None) -> None:
        self.redis = redis
        self.tz = tz
        self.clock = clock or system_clock(tz)

    def _ttl(self, day: date) -> int:
        """Seconds to keep a day's key: relative to the injected clock, not to Redis's."""
        expire_at = datetime.combine(day, time(0), tzinfo=self.tz) + KEEP_AFTER
        return max(1, int((expire_at - self.clock()).total_seconds()))

    async def is_closed(self, site_id: str, day: date) -> bool:
        """Whether a mediator closed the site that day."""
        return bool(await self.redis.exists(closed_key(site_id, day)))

    async def extra_counters(self, site_id: str, day: date) -> int:
        """Extra counters opened that day (0 by default)."""
        raw = await self.redis.get(extra_key(site_id, day))
        return int(raw or 0)

    async def close(self, site_id: str, day: date, mediator: str) -> bool:
        """Close the site that day; False when it already was."""
        created = await self.redis.set(closed_key(site_id, day), mediator, nx=True, ex=self._ttl(day))
        return bool(created)

    async def reopen(self, site_id: str, day: date) -> None:
        """Undo a closure (cancelled appointments stay cancelled)."""
        await self.redis.delete(closed_key(site_id, day))

    async def add_counter(self, site_id: str, day: date) -> int:
        """One more counter that day; the new number of extra counters."""
        key = extra_key(site_id, day)
        count = int(await self.redis.incr(key))
        await self.redis.expire(key, self._ttl(day))
        return count
