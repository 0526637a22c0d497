"""A log written before December 2026 (a pseudonym per event, its key in Redis) stops naming residents."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import redis.asyncio as aioredis

from bot.activity.log import LEGACY_KEY_KEY, ActivityLog, month_key
from bot.security.pseudonym_key import PseudonymKey

PARIS = ZoneInfo("Europe/Paris")


async def test_legacy_pseudonyms_move_into_the_day_counters_and_their_key_goes(redis_url: str, tmp_path: Path) -> None:
    client = aioredis.Redis.from_url(redis_url)
    at = datetime(2026, 11, 23, 9, 17, tzinfo=PARIS).timestamp()
    old = [
        {"id": "a1", "kind": "conversation", "at": at, "channel": "sms", "who": "aaaa"},
        {"id": "a2", "kind": "conversation", "at": at + 60, "channel": "sms", "who": "aaaa"},
        {"id": "a3", "kind": "conversation", "at": at + 120, "channel": "telegram", "who": "bbbb", "site": "vaulx"},
        {"id": "a4", "kind": "danger", "at": at + 180, "channel": "sms", "who": "aaaa", "danger": "suicide"},
    ]
    await client.zadd(month_key(at), {json.dumps(e): e["at"] for e in old})
    await client.set(LEGACY_KEY_KEY, "cafe" * 16)
    activity = ActivityLog(client, clock=lambda: at, key=PseudonymKey(tmp_path, clock=lambda: at))
    try:
        assert await activity.record("optout", "sms-33612345678")  # the first write of a process migrates
        events = await activity.events(0, 4e9)
        assert len(events) == 5 and not [e for e in events if "who" in e]
        assert all(e["at"] % 3600 == 0 for e in events)
        assert not await client.exists(LEGACY_KEY_KEY)
        day = date(2026, 11, 23)
        assert await activity.residents(day, day) == ({"sms": 1, "telegram": 1}, 2)
        assert await activity.residents(day, day, "vaulx") == ({"telegram": 1}, 1)
        assert await activity.forget_legacy() == 0
    finally:
        await client.close()
