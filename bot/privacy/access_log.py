"""Which mediator opened, answered, exported or erased which conversation, and when (for supervisors).

Entries name the conversation by a pseudonym (a keyed hash of the sender id), never by number, chat id or
text: the log survives an erasure without keeping anything that identifies the resident by itself, and a
supervisor looking at a conversation can still find its entries (same pseudonym). One list per day, each
expiring ACCESS_LOG_DAYS after that day.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta, timezone

import redis.asyncio as aioredis

from bot.clock import system_clock
from bot.identity import channel_of
from bot.privacy.keys import PRIVACY_PREFIX

KEY_OF_PSEUDONYMS = PRIVACY_PREFIX + "pseudonym_key"
# Every transcript read (page, JSON, live stream) and every action that changes a conversation or a resident's data.
ACTIONS = (
    "open",
    "read",
    "stream",
    "lookup",
    "claim",
    "take_over",
    "transfer",
    "hand_back",
    "close",
    "reply",
    "note",
    "reminder",
    "export",
    "erase",
)


@dataclass(frozen=True)
class Access:
    """One access: ISO time (UTC), mediator, action, conversation pseudonym, channel."""

    at: str
    mediator: str
    action: str
    conversation: str
    channel: str


def day_key(day: date) -> str:
    """The list of one day's accesses."""
    return f"{PRIVACY_PREFIX}access:{day.isoformat()}"


class AccessLog:
    """Append and read the access log (Redis lists, one per UTC day, expiring)."""

    def __init__(self, redis: aioredis.Redis, keep_seconds: int, now: Callable[[], datetime] | None = None) -> None:
        self.redis = redis
        self.keep_seconds = keep_seconds
        self.now = now or (lambda: system_clock()().astimezone(timezone.utc))

    async def pseudonym(self, sender_id: str) -> str:
        """A stable pseudonym of a conversation (12 hex characters of an HMAC with a random stored key)."""
        await self.redis.set(KEY_OF_PSEUDONYMS, secrets.token_hex(32), nx=True)
        key = await self.redis.get(KEY_OF_PSEUDONYMS)
        raw = key if isinstance(key, bytes) else str(key).encode()
        return hmac.new(raw, sender_id.encode(), hashlib.sha256).hexdigest()[:12]

    async def record(self, mediator: str, action: str, sender_id: str) -> Access:
        """Append one access."""
        if action not in ACTIONS:
            raise ValueError(f"unknown access action {action!r}")
        moment = self.now().astimezone(timezone.utc)
        entry = Access(
            moment.isoformat(timespec="seconds"),
            mediator,
            action,
            await self.pseudonym(sender_id),
            channel_of(sender_id),
        )
        key = day_key(moment.date())
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.rpush(key, json.dumps(asdict(entry), ensure_ascii=False))
            pipe.expire(key, self.keep_seconds)
            await pipe.execute()
        return entry

    async def recent(self, days: int = 30, sender_id: str | None = None) -> list[Access]:
        """Accesses of the last ``days`` days, newest first (only one conversation's with ``sender_id``)."""
        wanted = await self.pseudonym(sender_id) if sender_id is not None else None
        today = self.now().astimezone(timezone.utc).date()
        found: list[Access] = []
        for offset in range(days):
            for raw in await self.redis.lrange(day_key(today - timedelta(days=offset)), 0, -1):
                entry = Access(**json.loads(raw))
                if wanted is None or entry.conversation == wanted:
                    found.append(entry)
        return sorted(found, key=lambda a: a.at, reverse=True)
