"""Sending the reminders that are due: one pass of the worker (``bot.ops.worker``, every minute).

``pimms:reminders:due`` is a sorted set sender id -> the next instant to look at that resident (set at
subscription, moved by each pass to the resident's next allowed moment; a resident without a running subscription
leaves it; erasure removes them). A pass takes the residents due at ``now`` (the worker's injected clock), works
out their occurrences (``schedule``), asks the policy (hours, days off, caps, deadline) and claims each one in the
store's Lua script before sending it through the outbound router: a reminder is sent at most once, even when two
workers or a restarted one look at it, and never after a stop, an erasure or STOP.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

import redis.asyncio as aioredis

from bot.activity.log import REMINDER, ActivityLog
from bot.clock import PARIS
from bot.language.store import stored_language
from bot.reminders.models import Kind, Occurrence
from bot.reminders.policy import decide, next_allowed, next_day_allowed
from bot.reminders.programmes import Programme, Programmes
from bot.reminders.schedule import occurrences
from bot.reminders.store import PREFIX, ReminderStore
from bot.reminders.texts import reminder_text

log = logging.getLogger(__name__)

DUE_KEY = f"{PREFIX}:due"
LOOKBACK = timedelta(days=35)  # the longest time from a reminder's due moment to its deadline, with margin
HORIZON = timedelta(days=430)  # beyond a consent's year
BATCH = 200
PROGRAMME_OF: dict[Kind, Programme] = {
    "actualisation_open": Programme.ACTUALISATION,
    "actualisation_last_call": Programme.ACTUALISATION,
    "quarterly_due": Programme.QUARTERLY,
    "permit_open": Programme.RESIDENCE_PERMIT,
    "permit_second": Programme.RESIDENCE_PERMIT,
    "permit_last": Programme.RESIDENCE_PERMIT,
    "one_off": Programme.ONE_OFF,
}

# Reschedule a resident only when nobody moved them since this pass read them (a new subscription wakes them).
# KEYS: due zset. ARGV: sender, score read, new score ("" = leave the index).
_RESCHEDULE = """
local current = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not current or tonumber(current) ~= tonumber(ARGV[2]) then return 0 end
if ARGV[3] == '' then redis.call('ZREM', KEYS[1], ARGV[1]) else redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1]) end
return 1
"""


class Sender(Protocol):
    """``bot.outbound.OutboundRouter`` (or a recording fake in unit tests)."""

    async def send(self, sender_id: str, text: str, buttons: list[dict[str, Any]] | None = None) -> bool:
        """Deliver; False when suppressed."""


async def wake(redis: aioredis.Redis, sender_id: str, now: datetime) -> None:
    """Have the next pass look at this resident (a new subscription)."""
    await redis.zadd(DUE_KEY, {sender_id: now.timestamp()})


@dataclass
class PassReport:
    """What one pass did (the simulated year adds them up)."""

    residents: int = 0
    sent: list[tuple[str, Occurrence, datetime, str]] = field(default_factory=list)  # sender, occurrence, at, text
    claims: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    skipped_keys: dict[str, str] = field(default_factory=dict)  # occurrence key -> why it will never be sent
    waits: Counter[str] = field(default_factory=Counter)
    failed: int = 0


class ReminderDelivery:
    """One pass over the due residents (the worker's job)."""

    def __init__(
        self,
        redis: aioredis.Redis,
        rules: Programmes,
        sender: Sender,
        now: Callable[[], datetime],
        activity: ActivityLog | None = None,
    ) -> None:
        self.redis = redis
        self.rules = rules
        self.sender = sender
        self.now = now
        self.store = ReminderStore(redis)
        self.activity = activity
        self._reschedule = redis.register_script(_RESCHEDULE)

    async def run(self) -> PassReport:
        """Send what is due now; every resident looked at gets their next moment."""
        now = self.now()
        report = PassReport()
        rows = await self.redis.zrangebyscore(DUE_KEY, "-inf", now.timestamp(), start=0, num=BATCH, withscores=True)
        for raw, score in rows:
            sender_id = raw.decode() if isinstance(raw, bytes) else str(raw)
            report.residents += 1
            try:
                following = await self._resident(sender_id, now, report)
            except Exception:  # one resident's failure never stops the others; looked at again in 5 minutes
                log.exception("deadline reminders: a resident's pass failed")
                following = now + timedelta(minutes=5)
            new_score = "" if following is None else repr(following.timestamp())
            await self._reschedule(keys=[DUE_KEY], args=[sender_id, repr(score), new_score])
        return report

    async def _resident(self, sender_id: str, now: datetime, report: PassReport) -> datetime | None:
        subs = await self.store.active(sender_id, now.astimezone(PARIS).date())
        if not subs:
            return None
        history = await self.store.sent(sender_id)
        done_keys = {s.key for s in history}
        times = [s.at for s in history]
        candidates: list[Occurrence] = []
        later: list[datetime] = []
        for sub in subs:
            for occ in occurrences(sub, self.rules, now - LOOKBACK, now + HORIZON):
                if occ.key in done_keys:
                    continue
                if occ.due > now:
                    later.append(next_allowed(occ.due))
                else:
                    candidates.append(occ)
        for occ in sorted(candidates, key=lambda o: (o.deadline, o.due)):
            decision = decide(now, occ.due, occ.deadline, times)
            if decision.action == "skip":
                report.skipped[decision.reason] += 1
                report.skipped_keys[f"{sender_id}|{occ.key}"] = decision.reason
                continue
            if decision.action == "wait":
                assert decision.at is not None
                report.waits[decision.reason] += 1
                later.append(decision.at)
                continue
            result = await self.store.claim(sender_id, occ, now)
            report.claims[result] += 1
            if result in ("cap_day", "cap_week"):
                later.append(next_day_allowed(now))
            if result != "sent":
                continue
            times.append(now)
            text = reminder_text(occ.kind, occ.ends, await stored_language(self.redis, sender_id))
            await self._send(sender_id, occ, text, report)
            report.sent.append((sender_id, occ, now, text))
        return min(later) if later else None

    async def _send(self, sender_id: str, occ: Occurrence, text: str, report: PassReport) -> None:
        from bot.outbound import DeliveryError, UndeliverableError

        try:
            await self.sender.send(sender_id, text)
        except (DeliveryError, UndeliverableError) as exc:  # claimed: never sent twice (the outbound layer retried)
            report.failed += 1
            log.warning("deadline reminder %s not delivered: %s", occ.kind, type(exc).__name__)
            return
        if self.activity is not None:
            await self.activity.record(
                REMINDER, sender_id, at=self.now().timestamp(), action="sent", topic=PROGRAMME_OF[occ.kind].value
            )
