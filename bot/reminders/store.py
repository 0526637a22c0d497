"""Subscriptions, consent records, FAIT answers and sent reminders of each resident, on Redis.

Keys (all per sender, all expiring, registered in bot/privacy/keys.yml so EFFACER and the export find them):

- ``pimms:reminders:subs:{sender}``: hash subscription id -> subscription with its consent (JSON); lives until
  the last subscription's last day plus ``LEDGER_SLACK``;
- ``pimms:reminders:consents:{sender}``: list of consent and stop events, the proof of what was accepted and
  withdrawn; same life as the subscriptions, at least ``LEDGER_SLACK`` after the last event;
- ``pimms:reminders:sent:{sender}``: sorted set occurrence key -> time sent (at most once per occurrence, the
  caps); entries older than ``SENT_KEEP`` are pruned;
- ``pimms:reminders:done:{sender}``: set of "subscription:period" answered FAIT, ``DONE_TTL``.

Sending claims an occurrence in one Lua script: no STOP (opt-out of everything), subscription still active, not
answered FAIT, not claimed before, caps respected. Two workers, a restart or a stop arriving at the same moment
cannot make it sent twice, sent after the stop, or over the caps.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Literal

import redis.asyncio as aioredis

from bot import redis_connect
from bot.clock import PARIS
from bot.optout import OptOutStore
from bot.reminders.models import Occurrence, Subscription
from bot.reminders.policy import PER_DAY, PER_WEEK, WEEK
from bot.reminders.programmes import Programme

PREFIX = "pimms:reminders"
LEDGER_SLACK = timedelta(days=31)
SENT_KEEP = timedelta(days=40)
DONE_TTL = timedelta(days=60)


def subs_key(sender_id: str) -> str:
    return f"{PREFIX}:subs:{sender_id}"


def consents_key(sender_id: str) -> str:
    return f"{PREFIX}:consents:{sender_id}"


def sent_key(sender_id: str) -> str:
    return f"{PREFIX}:sent:{sender_id}"


def done_key(sender_id: str) -> str:
    return f"{PREFIX}:done:{sender_id}"


ClaimResult = Literal["sent", "duplicate", "cap_day", "cap_week", "stopped", "done", "opted_out"]

# KEYS: sent zset, subs hash, done set, opt-out (STOP stops everything, reminders included).
# ARGV: member, now, day start, week start (exclusive), per day, per week, sent ttl (s), prune before,
# subscription id, done member ("" when a FAIT does not silence it).
_CLAIM = """
if redis.call('EXISTS', KEYS[4]) == 1 then return 'opted_out' end
if redis.call('HEXISTS', KEYS[2], ARGV[9]) == 0 then return 'stopped' end
if ARGV[10] ~= '' and redis.call('SISMEMBER', KEYS[3], ARGV[10]) == 1 then return 'done' end
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 'duplicate' end
if redis.call('ZCOUNT', KEYS[1], ARGV[3], '+inf') >= tonumber(ARGV[5]) then return 'cap_day' end
if redis.call('ZCOUNT', KEYS[1], '(' .. ARGV[4], '+inf') >= tonumber(ARGV[6]) then return 'cap_week' end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[8])
redis.call('EXPIRE', KEYS[1], ARGV[7])
return 'sent'
"""


@dataclass(frozen=True)
class SentReminder:
    """One reminder claimed for sending (occurrence key, when)."""

    key: str
    at: datetime


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


class ReminderStore:
    """Per-resident reminder data (sender ids are the channel's, e.g. ``sms-...``, ``tg-...``)."""

    def __init__(self, redis: aioredis.Redis) -> None:
        self.redis = redis
        self._claim = redis.register_script(_CLAIM)

    async def _expire_ledger(self, sender_id: str, now: datetime) -> None:
        subs = await self.subscriptions(sender_id)
        last = max((s.until for s in subs), default=now.astimezone(PARIS).date())
        until = datetime.combine(last + timedelta(days=1), time(0), tzinfo=PARIS) + LEDGER_SLACK
        seconds = int(max(until - now, LEDGER_SLACK).total_seconds())  # relative: the caller's clock decides
        for key in (subs_key(sender_id), consents_key(sender_id)):
            await self.redis.expire(key, seconds)

    async def _log(self, sender_id: str, event: dict[str, Any]) -> None:
        await self.redis.rpush(consents_key(sender_id), json.dumps(event, ensure_ascii=False))

    async def subscribe(self, sub: Subscription) -> None:
        """Record a subscription and its consent (the proof: when, programme, exact text, channel, who)."""
        await self.redis.hset(subs_key(sub.sender_id), sub.id, sub.to_json())
        await self._log(sub.sender_id, {"event": "consent", "subscription": sub.id, **sub.consent.to_dict()})
        await self._expire_ledger(sub.sender_id, sub.consent.at)
        await redis_connect.replicated(self.redis, "consent")

    async def subscriptions(self, sender_id: str) -> list[Subscription]:
        """Every recorded subscription, oldest consent first (the numbers RAPPELS shows)."""
        raw = await self.redis.hgetall(subs_key(sender_id))
        subs = [Subscription.from_json(v) for v in raw.values()]
        return sorted(subs, key=lambda s: (s.consent.at, s.id))

    async def active(self, sender_id: str, today: date) -> list[Subscription]:
        """Subscriptions still running today (ended ones are forgotten)."""
        subs = await self.subscriptions(sender_id)
        ended = [s.id for s in subs if s.until < today]
        if ended:
            await self.redis.hdel(subs_key(sender_id), *ended)
        return [s for s in subs if s.until >= today]

    async def stop(self, sender_id: str, number: int, now: datetime, channel: str) -> Subscription | None:
        """Stop the subscription listed with ``number`` (1-based); None when there is none."""
        subs = await self.active(sender_id, now.astimezone(PARIS).date())
        if not 1 <= number <= len(subs):
            return None
        sub = subs[number - 1]
        await self._remove(sender_id, [sub], now, channel)
        return sub

    async def stop_all(self, sender_id: str, now: datetime, channel: str) -> int:
        """STOP RAPPELS: stop every subscription (and only reminders); how many were active."""
        subs = await self.subscriptions(sender_id)
        await self._remove(sender_id, subs, now, channel)
        return len(subs)

    async def _remove(self, sender_id: str, subs: list[Subscription], now: datetime, channel: str) -> None:
        if not subs:
            return
        await self.redis.hdel(subs_key(sender_id), *[s.id for s in subs])
        for sub in subs:
            event = {"event": "stop", "subscription": sub.id, "programme": sub.programme.value}
            await self._log(sender_id, {**event, "at": now.isoformat(), "channel": channel})
        await self._expire_ledger(sender_id, now)
        await redis_connect.replicated(self.redis, "consent withdrawal")

    async def mark_done(self, sender_id: str, subscription_id: str, period: str) -> None:
        """FAIT: the resident did it; the reminders of that period that a FAIT silences are not sent."""
        await self.redis.sadd(done_key(sender_id), f"{subscription_id}:{period}")
        await self.redis.expire(done_key(sender_id), int(DONE_TTL.total_seconds()))

    async def mark_last_done(self, sender_id: str) -> Programme | None:
        """FAIT after a reminder: the period of the last reminder sent is done (its later reminders are silenced);
        the programme, or None when no reminder of a running subscription was sent recently."""
        rows = await self.redis.zrevrange(sent_key(sender_id), 0, 0)
        if not rows:
            return None
        subscription_id, period, _ = _text(rows[0]).split(":", 2)
        raw = await self.redis.hget(subs_key(sender_id), subscription_id)
        if raw is None:
            return None
        await self.mark_done(sender_id, subscription_id, period)
        return Subscription.from_json(raw).programme

    async def claim(self, sender_id: str, occurrence: Occurrence, now: datetime) -> ClaimResult:
        """Atomically take the right to send this reminder now (see the module's docstring)."""
        local = now.astimezone(PARIS)
        day_start = datetime.combine(local.date(), time(0), tzinfo=PARIS)
        done = f"{occurrence.subscription_id}:{occurrence.period}" if occurrence.skip_if_done else ""
        result = await self._claim(
            keys=[sent_key(sender_id), subs_key(sender_id), done_key(sender_id), OptOutStore.key_of(sender_id)],
            args=[
                occurrence.key,
                now.timestamp(),
                day_start.timestamp(),
                (now - WEEK).timestamp(),
                PER_DAY,
                PER_WEEK,
                int(SENT_KEEP.total_seconds()),
                (now - SENT_KEEP).timestamp(),
                occurrence.subscription_id,
                done,
            ],
        )
        return _text(result)  # type: ignore[return-value]

    async def sent(self, sender_id: str) -> list[SentReminder]:
        """Reminders sent recently (the caps' history), oldest first."""
        rows = await self.redis.zrange(sent_key(sender_id), 0, -1, withscores=True)
        return [SentReminder(_text(k), datetime.fromtimestamp(s, tz=PARIS)) for k, s in rows]

    async def data_notice(self, sender_id: str, language: str = "fr") -> str | None:
        """MES DONNEES: one more message about the reminders (in the resident's language), None when there are
        none."""
        from bot.reminders.texts import data_notice

        count = int(await self.redis.hlen(subs_key(sender_id)))
        return data_notice(count, language) if count else None

    async def consent_log(self, sender_id: str) -> list[dict[str, Any]]:
        """The consent and stop events (for MES DONNEES / the export)."""
        return [json.loads(e) for e in await self.redis.lrange(consents_key(sender_id), 0, -1)]
