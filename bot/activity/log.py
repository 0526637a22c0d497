"""Pseudonymised activity log in Redis: what happened, when, where, by channel; never a number or a text.

Each event is a small JSON object in a sorted set per month (``pimms:activity:log:YYYY-MM``, scored by time).
A resident appears only as a keyed hash of their sender id (``who``): enough to count the distinct residents
reached in a period, useless without the key (``pimms:activity:key``), which never leaves Redis. The log holds
no personal data a resident's erasure must remove, so it is kept for ``retention_days`` (default three years,
the span partners' yearly reports and audits go back to) and then expires month by month.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
import time
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

import redis.asyncio as aioredis

from bot.identity import channel_of

log = logging.getLogger(__name__)
PREFIX = "pimms:activity:"
KEY_KEY = PREFIX + "key"
DEFAULT_RETENTION_DAYS = 3 * 366

# Event kinds, recorded by the features.
CONVERSATION = "conversation"  # a new conversation (Rasa session) started
QUESTION = "question"  # a knowledge-base answer was given (field: theme, topic)
NOT_UNDERSTOOD = "not_understood"  # the assistant said it did not understand
HANDOFF = "handoff"  # a resident joined the mediators' queue (reason, urgent, danger)
HANDOFF_CLAIMED = "handoff_claimed"  # a mediator took the conversation (wait in seconds)
HANDOFF_END = "handoff_end"  # closed, handed back or cancelled by the resident (outcome)
BOOKING = "booking"  # made, moved, cancelled, attended, no_show (action, motive)
DANGER = "danger"  # a danger message got the emergency numbers (danger)
OPTOUT = "optout"  # STOP

# The only fields an event may carry: all are labels or numbers chosen by the code, never resident text.
FIELDS = frozenset(
    {"site", "theme", "topic", "reason", "urgent", "danger", "wait", "outcome", "action", "motive", "by"}
)


def month_key(at: float) -> str:
    """Sorted set holding the events of the (UTC) month of ``at``."""
    return PREFIX + "log:" + datetime.fromtimestamp(at, tz=timezone.utc).strftime("%Y-%m")


def _month_end(at: float) -> float:
    moment = datetime.fromtimestamp(at, tz=timezone.utc)
    year, month = (moment.year + 1, 1) if moment.month == 12 else (moment.year, moment.month + 1)
    return datetime(year, month, 1, tzinfo=timezone.utc).timestamp()


def _months(start: float, end: float) -> list[str]:
    keys, cursor = [], start
    while cursor < end:
        keys.append(month_key(cursor))
        cursor = _month_end(cursor)
    return keys


class ActivityLog:
    """Writes and reads the activity log; a failure to record is logged, never raised to the feature."""

    def __init__(
        self,
        redis: aioredis.Redis,
        clock: Callable[[], float] = time.time,
        retention_days: int = DEFAULT_RETENTION_DAYS,
    ) -> None:
        self.redis = redis
        self.clock = clock
        self.retention_days = retention_days
        self._key: bytes | None = None

    async def pseudonym(self, sender_id: str) -> str:
        """A keyed hash of the sender id (the same resident always gets the same one)."""
        if self._key is None:
            await self.redis.set(KEY_KEY, secrets.token_hex(32), nx=True)
            raw = await self.redis.get(KEY_KEY)
            self._key = raw if isinstance(raw, bytes) else str(raw).encode()
        return hmac.new(self._key, sender_id.encode(), hashlib.sha256).hexdigest()[:20]

    async def record(self, kind: str, sender_id: str | None = None, at: float | None = None, **fields: Any) -> bool:
        """Add one event; False (and a warning) when Redis failed."""
        unknown = set(fields) - FIELDS
        if unknown:
            raise ValueError(f"activity events carry no {sorted(unknown)}")
        moment = self.clock() if at is None else at
        event: dict[str, Any] = {"id": secrets.token_hex(6), "kind": kind, "at": round(moment, 3)}
        event.update({k: v for k, v in fields.items() if v not in (None, "")})
        try:
            if sender_id:
                event["channel"] = channel_of(sender_id)
                event["who"] = await self.pseudonym(sender_id)
            key = month_key(moment)
            async with self.redis.pipeline(transaction=True) as pipe:
                pipe.zadd(key, {json.dumps(event, sort_keys=True): moment})
                pipe.expireat(key, int(_month_end(moment) + self.retention_days * 86400))
                await pipe.execute()
        except Exception as exc:  # the feature goes on; the report misses one event
            log.warning("activity event %s not recorded: %s", kind, type(exc).__name__)
            return False
        return True

    async def events(self, start: float, end: float) -> list[dict[str, Any]]:
        """Events with ``start <= at < end``, oldest first."""
        found: list[dict[str, Any]] = []
        for key in _months(start, end):
            for raw in await self.redis.zrangebyscore(key, start, f"({end}"):
                found.append(json.loads(raw))
        return sorted(found, key=lambda e: e["at"])
