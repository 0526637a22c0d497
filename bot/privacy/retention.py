"""The retention check: every Redis key is registered and expires within its retention (or is allowed to stay).

Reusable: the stack test runs it after a day of activity through every feature, so a new feature whose keys
are unregistered or never expire fails it. ``python -m bot residents check-retention`` runs it on a live
database (exit status 1 when something is wrong).
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import redis.asyncio as aioredis

from bot.handoff.activity import ACTIVITY_STREAM, STREAM_TTL_SECONDS
from bot.outbound.dead_letters import DEAD_LETTERS_KEY, DEAD_LETTERS_TTL, DeadLetters
from bot.privacy.keys import REMINDERS_MAX_SECONDS, SHORT_MAX_SECONDS, KeySpec, Retention, spec_for
from bot.privacy.sweep import oldest_stream_entry
from bot.settings import Settings

SLACK_SECONDS = 24 * 3600


@dataclass(frozen=True)
class Violation:
    """A key that breaks the rules (the key name is shown: run it on test data or keep the output private)."""

    key: str
    problem: str


def max_ttl(spec: KeySpec, settings: Settings, booking_horizon_days: int) -> int | None:
    """The longest TTL allowed for a key of this kind (None: no TTL required)."""
    if spec.retention == Retention.KEPT:
        return None
    if spec.retention == Retention.ACTIVITY:
        return settings.retention_seconds
    if spec.retention == Retention.BOOKING:
        return (booking_horizon_days + 1) * 24 * 3600 + settings.booking_retention_seconds + SLACK_SECONDS
    if spec.retention == Retention.ACCESS_LOG:
        return settings.access_log_seconds
    if spec.retention == Retention.STATISTICS:
        return (settings.activity_retention_days + 31) * 24 * 3600
    if spec.retention == Retention.REMINDERS:
        return REMINDERS_MAX_SECONDS
    return SHORT_MAX_SECONDS


SWEEP_SLACK_SECONDS = 3600  # the sweep runs every half hour


def shared_entry_ages(redis: aioredis.Redis) -> dict[str, tuple[int, Callable[[], Awaitable[float | None]]]]:
    """Shared keys whose entries have their own age: key -> (longest age allowed, time of the oldest entry)."""
    return {
        DEAD_LETTERS_KEY: (DEAD_LETTERS_TTL, DeadLetters(redis).oldest),
        ACTIVITY_STREAM: (STREAM_TTL_SECONDS, lambda: oldest_stream_entry(redis)),
    }


async def check_retention(
    redis: aioredis.Redis,
    settings: Settings,
    booking_horizon_days: int = 28,
    now: Callable[[], float] = time.time,
) -> list[Violation]:
    """Scan every key of the database, and the entries of shared keys; the violations (empty when all is well)."""
    violations = []
    for key, (age, oldest) in shared_entry_ages(redis).items():
        first = await oldest()
        if first is not None and now() - first > age + SWEEP_SLACK_SECONDS:
            violations.append(Violation(key, f"holds an entry {int(now() - first)} s old, more than {age} s"))
    async for raw in redis.scan_iter(count=1000):
        key = raw.decode() if isinstance(raw, bytes) else str(raw)
        spec = spec_for(key)
        if spec is None:
            violations.append(Violation(key, "not registered in bot/privacy/keys.yml"))
            continue
        limit = max_ttl(spec, settings, booking_horizon_days)
        if limit is None:
            continue
        ttl = int(await redis.ttl(key))
        if ttl == -2:
            continue  # expired between SCAN and TTL
        if ttl == -1:
            violations.append(Violation(key, f"no expiry ({spec.retention.value})"))
        elif ttl > limit:
            violations.append(Violation(key, f"expires in {ttl} s, more than {limit} s ({spec.retention.value})"))
    return violations
