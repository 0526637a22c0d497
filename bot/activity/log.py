"""Activity log in Redis: what happened, when, where, by channel; never who, never a number or a text.

Each event is a small JSON object in a sorted set per month (``pimms:activity:log:YYYY-MM``), scored by its
time cut to the hour (the report counts Paris days). An event names no resident: a hand-off, a danger alert or
a question answered cannot be traced back to a person, so a resident's erasure has nothing to remove there.

Distinct residents are counted apart, as aggregates: a HyperLogLog per Paris day and channel, for all sites
and for the resident's site when known (``pimms:activity:residents:YYYY-MM-DD:<channel>:<site|all>``),
receives a keyed hash of the sender id (``bot.security.pseudonym_key``: a key outside Redis, new every year).
The report adds the days of a period (``PFCOUNT`` of several days is the count of their union). Everything
expires ``retention_days`` (default three years, the span partners' yearly reports and audits go back to)
after its month or day.

Logs written before December 2026 held a ``who`` pseudonym per event and kept their key in Redis
(``pimms:activity:key``): :meth:`ActivityLog.forget_legacy` moves those pseudonyms into the day counters,
strips them from the events and deletes that key.
"""

from __future__ import annotations

import json
import logging
import secrets
import time
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import redis.asyncio as aioredis

from bot.clock import PARIS
from bot.identity import NAMES, channel_of
from bot.security.pseudonym_key import PseudonymKey, PseudonymKeyError

log = logging.getLogger(__name__)
PREFIX = "pimms:activity:"
LEGACY_KEY_KEY = PREFIX + "key"  # before December 2026: the pseudonyms' key, in Redis (deleted by forget_legacy)
RESIDENTS_PREFIX = PREFIX + "residents:"
MIGRATING_KEY = PREFIX + "migrating"
DEFAULT_RETENTION_DAYS = 3 * 366
ALL_SITES = "all"
CHANNELS = NAMES  # the channel registry's names
TIME_GRAIN = 3600  # events keep the hour only: enough for Paris days, too coarse to match a conversation

# Event kinds, recorded by the features.
CONVERSATION = "conversation"  # a new conversation (Rasa session) started (counts the resident, apart)
QUESTION = "question"  # a knowledge-base answer was given (field: theme, topic)
NOT_UNDERSTOOD = "not_understood"  # the assistant said it did not understand
HANDOFF = "handoff"  # a resident joined the mediators' queue (reason, urgent, danger)
HANDOFF_CLAIMED = "handoff_claimed"  # a mediator took the conversation (wait in seconds)
HANDOFF_END = "handoff_end"  # closed, handed back or cancelled by the resident (outcome)
BOOKING = "booking"  # made, moved, cancelled, attended, no_show (action, motive)
DANGER = "danger"  # a danger message got the emergency numbers (danger)
OPTOUT = "optout"  # STOP
REMINDER = "reminder"  # deadline reminders (action: subscribed, sent, done, stopped; topic: programme; by: mediator)

# The only fields an event may carry: all are labels or numbers chosen by the code, never resident text,
# never anything naming a resident.
FIELDS = frozenset(
    {"site", "theme", "topic", "reason", "urgent", "danger", "wait", "outcome", "action", "motive", "by"}
)


def month_key(at: float) -> str:
    """Sorted set holding the events of the (UTC) month of ``at``."""
    return PREFIX + "log:" + datetime.fromtimestamp(at, tz=timezone.utc).strftime("%Y-%m")


def residents_key(day: date, channel: str, site: str = "") -> str:
    """HyperLogLog of the residents seen on one (Paris) day, on one channel, at one site (or at any site)."""
    return f"{RESIDENTS_PREFIX}{day.isoformat()}:{channel}:{site or ALL_SITES}"


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


def _days(first: date, last: date) -> Iterable[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


class ActivityLog:
    """Writes and reads the activity log; a failure to record is logged, never raised to the feature."""

    def __init__(
        self,
        redis: aioredis.Redis,
        clock: Callable[[], float] = time.time,
        retention_days: int = DEFAULT_RETENTION_DAYS,
        key: PseudonymKey | None = None,
        tz: ZoneInfo = PARIS,
    ) -> None:
        self.redis = redis
        self.clock = clock
        self.retention_days = retention_days
        self.tz = tz
        self._key = key
        self._legacy_checked = False

    @property
    def key(self) -> PseudonymKey:
        """The pseudonyms' key (``PSEUDONYM_KEY`` or the data folder's key file unless one was given)."""
        if self._key is None:
            self._key = PseudonymKey.from_env()
        return self._key

    async def record(self, kind: str, sender_id: str | None = None, at: float | None = None, **fields: Any) -> bool:
        """Add one event (the sender id only gives its channel; a new conversation also counts the resident in
        the day's counter); False (and a warning) when Redis failed."""
        unknown = set(fields) - FIELDS
        if unknown:
            raise ValueError(f"activity events carry no {sorted(unknown)}")
        moment = self.clock() if at is None else at
        grain = float(int(moment // TIME_GRAIN) * TIME_GRAIN)
        event: dict[str, Any] = {"id": secrets.token_hex(6), "kind": kind, "at": grain}
        event.update({k: v for k, v in fields.items() if v not in (None, "")})
        try:
            await self._legacy_once()
            if sender_id:
                event["channel"] = channel_of(sender_id)
            key = month_key(moment)
            async with self.redis.pipeline(transaction=True) as pipe:
                pipe.zadd(key, {json.dumps(event, sort_keys=True): grain})
                pipe.expireat(key, int(_month_end(moment) + self.retention_days * 86400))
                if kind == CONVERSATION and sender_id:
                    day = datetime.fromtimestamp(moment, tz=self.tz).date()
                    self._count_resident(pipe, day, event["channel"], str(fields.get("site") or ""), sender_id)
                await pipe.execute()
        except Exception as exc:  # the feature goes on; the report misses one event
            log.warning("activity event %s not recorded: %s", kind, type(exc).__name__)
            return False
        return True

    def _count_resident(self, pipe: Any, day: date, channel: str, site: str, sender_id: str) -> None:
        """Add one resident to the day's counters: all sites, and their site when known (the event is recorded
        even when the key cannot be read: the count of residents then misses one)."""
        try:
            element = self.key.digest(sender_id)
        except PseudonymKeyError as exc:
            log.error("activity: distinct residents not counted (%s)", exc)
            return
        for counter in {residents_key(day, channel), residents_key(day, channel, site)}:
            pipe.pfadd(counter, element)
            pipe.expire(counter, self._day_ttl(day))

    def _day_ttl(self, day: date) -> int:
        end = datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=self.tz).timestamp()
        return max(1, int(end + self.retention_days * 86400 - self.clock()))

    async def events(self, start: float, end: float) -> list[dict[str, Any]]:
        """Events with ``start <= at < end``, oldest first."""
        found: list[dict[str, Any]] = []
        for key in _months(start, end):
            for raw in await self.redis.zrangebyscore(key, start, f"({end}"):
                found.append(json.loads(raw))
        return sorted(found, key=lambda e: e["at"])

    async def residents(self, first: date, last: date, site: str = "") -> tuple[dict[str, int], int]:
        """Distinct residents who started a conversation on the Paris days ``first..last`` (at ``site`` only,
        when given): per channel, and on all channels together (HyperLogLog estimates, exact for small counts)."""
        keys = {ch: [residents_key(day, ch, site) for day in _days(first, last)] for ch in CHANNELS}
        per_channel = {ch: int(await self.redis.pfcount(*names)) for ch, names in keys.items()}
        every = [name for names in keys.values() for name in names]
        total = int(await self.redis.pfcount(*every)) if every else 0
        return {ch: n for ch, n in per_channel.items() if n}, total

    async def _legacy_once(self) -> None:
        if not self._legacy_checked:
            self._legacy_checked = True
            await self.forget_legacy()

    async def forget_legacy(self) -> int:
        """Move the per-event pseudonyms of an older log into the day counters, strip them, delete their key;
        how many events were rewritten. Does nothing once that key is gone; one process at a time."""
        if not await self.redis.exists(LEGACY_KEY_KEY):
            return 0
        if not await self.redis.set(MIGRATING_KEY, "1", nx=True, ex=600):
            return 0
        rewritten = 0
        try:
            async for raw_key in self.redis.scan_iter(match=PREFIX + "log:*", count=1000):
                for raw, score in await self.redis.zrange(raw_key, 0, -1, withscores=True):
                    event = json.loads(raw)
                    who = event.pop("who", None)
                    if who is None:
                        continue
                    grain = float(int(score // TIME_GRAIN) * TIME_GRAIN)
                    event["at"] = grain
                    async with self.redis.pipeline(transaction=True) as pipe:
                        if event.get("kind") == CONVERSATION:
                            day = datetime.fromtimestamp(score, tz=self.tz).date()
                            self._count_resident(pipe, day, event.get("channel", ""), event.get("site") or "", who)
                        pipe.zrem(raw_key, raw)
                        pipe.zadd(raw_key, {json.dumps(event, sort_keys=True): grain})
                        await pipe.execute()
                    rewritten += 1
            await self.redis.delete(LEGACY_KEY_KEY)
        finally:
            await self.redis.delete(MIGRATING_KEY)
        if rewritten:
            log.warning("activity log: %d older events no longer name a resident", rewritten)
        return rewritten
