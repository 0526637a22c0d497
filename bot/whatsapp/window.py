"""WhatsApp's 24-hour customer-service window, per resident.

WhatsApp lets a business send free-form messages only within 24 hours of the person's last message; after
that, only a pre-approved template (Twilio answers error 63016 otherwise). The connector records each inbound
message's moment here (``pimms:whatsapp:window:{sender}``, registered in ``bot/privacy/keys.yml``: erased by
EFFACER, listed by MES DONNEES); the key expires when the window closes, so nothing is kept longer than the
window needs.
"""

from __future__ import annotations

import math

import redis.asyncio as aioredis

from bot.clock import Clock, utc_timestamp

WINDOW_SECONDS = 24 * 3600
WINDOW_PREFIX = "pimms:whatsapp:window:"


def window_key(sender_id: str) -> str:
    """Redis key of the moment (POSIX seconds) of the resident's last inbound WhatsApp message."""
    return WINDOW_PREFIX + sender_id


class ServiceWindow:
    """When each resident last wrote, and whether a free-form message may still be sent to them."""

    def __init__(self, redis: aioredis.Redis, clock: Clock, seconds: int = WINDOW_SECONDS) -> None:
        self.redis = redis
        self.clock = clock
        self.seconds = seconds

    async def opened(self, sender_id: str) -> None:
        """The resident just wrote: the window runs for ``seconds`` from now."""
        now = utc_timestamp(self.clock)
        await self.redis.set(window_key(sender_id), f"{now:.3f}", ex=self.seconds)

    async def last_inbound(self, sender_id: str) -> float | None:
        """The moment of the resident's last message within the window, or None."""
        raw = await self.redis.get(window_key(sender_id))
        if raw is None:
            return None
        try:
            return float(raw)
        except ValueError:
            return None

    async def remaining(self, sender_id: str) -> float:
        """Seconds left to send free-form messages (0 once closed)."""
        last = await self.last_inbound(sender_id)
        if last is None:
            return 0.0
        left = last + self.seconds - utc_timestamp(self.clock)
        return left if left > 0 and math.isfinite(left) else 0.0

    async def is_open(self, sender_id: str) -> bool:
        """Whether a free-form message may be sent now."""
        return await self.remaining(sender_id) > 0

    async def erase(self, sender_id: str) -> None:
        """Forget it (privacy erasure; the key registry finds it as well)."""
        await self.redis.delete(window_key(sender_id))
