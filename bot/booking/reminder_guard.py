"""When a reminder may go (never at night) and an at-most-once record of each reminder sent."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

import redis.asyncio as aioredis

QUIET_FROM = time(21, 0)
QUIET_UNTIL = time(8, 0)
RECORD_KEEP = timedelta(days=7)


@dataclass(frozen=True)
class Decision:
    """What to do with a due reminder now: send it, postpone it to ``until``, or skip it."""

    action: Literal["send", "postpone", "skip"]
    until: datetime | None = None
    reason: str = ""


def quiet_until(now: datetime, tz: ZoneInfo) -> datetime | None:
    """None when a message may be sent now; else the next 08:00 (local) when the night ends."""
    local = now.astimezone(tz)
    if QUIET_UNTIL <= local.time() < QUIET_FROM:
        return None
    day = local.date() if local.time() < QUIET_UNTIL else local.date() + timedelta(days=1)
    return datetime.combine(day, QUIET_UNTIL, tzinfo=tz)


def decide(start: datetime, now: datetime, tz: ZoneInfo) -> Decision:
    """Send in the day; at night postpone to 08:00 if still before the slot; skip a slot already begun."""
    if start <= now:
        return Decision("skip", reason="slot passed")
    morning = quiet_until(now, tz)
    if morning is None:
        return Decision("send")
    if morning < start:
        return Decision("postpone", until=morning, reason="night")
    return Decision("skip", reason="night until the slot")


class ReminderRecord:
    """``pimms:booking:reminder:<ref>``: claimed before sending (SET NX), then the outcome.

    A reminder whose key exists is never sent again, even when the worker died after sending
    (at-most-once): the key then still says ``sending``.
    """

    def __init__(self, client: aioredis.Redis) -> None:
        self._client = client

    @staticmethod
    def key(ref: str) -> str:
        """Redis key of a booking's reminder record (a booking reference, no personal data)."""
        return f"pimms:booking:reminder:{ref}"

    @staticmethod
    def _ttl(start: datetime, now: datetime) -> int:
        return max(int((start - now + RECORD_KEEP).total_seconds()), 60)

    async def claim(self, ref: str, start: datetime, now: datetime) -> bool:
        """True for the only caller allowed to send this reminder."""
        value = json.dumps({"state": "sending", "at": now.isoformat()})
        return bool(await self._client.set(self.key(ref), value, nx=True, ex=self._ttl(start, now)))

    async def finish(self, ref: str, start: datetime, now: datetime, state: str, detail: str = "") -> None:
        """Record the outcome (``sent``, ``suppressed``, ``failed``) of a claimed reminder."""
        value = json.dumps({"state": state, "at": now.isoformat(), "detail": detail})
        await self._client.set(self.key(ref), value, xx=True, ex=self._ttl(start, now))

    async def get(self, ref: str) -> dict[str, str] | None:
        """The record of a reminder, or None when it was never attempted."""
        raw = await self._client.get(self.key(ref))
        return None if raw is None else dict(json.loads(raw))
