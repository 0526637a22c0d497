"""The mediators' access log: pseudonymous, per day, expiring, readable per conversation."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from bot.privacy.access_log import AccessLog, day_key

from .conftest import SMS_USER, TG_USER, World, keys_naming

T0 = datetime(2026, 12, 31, 23, 59, tzinfo=timezone.utc)


async def test_entries_name_no_one_and_expire(world: World) -> None:
    clock = [T0]
    log = AccessLog(world.redis, 180 * 86400, now=lambda: clock[0])
    await log.record("amina", "open", SMS_USER)
    clock[0] = T0 + timedelta(minutes=2)  # next day, next year
    await log.record("amina", "reply", SMS_USER)
    await log.record("karim", "export", TG_USER)

    entries = await log.recent(days=3)
    assert [(e.mediator, e.action) for e in entries] == [("amina", "reply"), ("karim", "export"), ("amina", "open")]
    assert [e.action for e in await log.recent(days=3, sender_id=SMS_USER)] == ["reply", "open"]
    assert await keys_naming(world.redis, SMS_USER) == [] and await keys_naming(world.redis, "33612345678") == []
    for day in (T0.date(), clock[0].date()):
        assert 0 < await world.redis.ttl(day_key(day)) <= 180 * 86400
        raw = b"".join(await world.redis.lrange(day_key(day), 0, -1))
        assert b"33612345678" not in raw and b"4242" not in raw


async def test_unknown_actions_are_refused(world: World) -> None:
    with pytest.raises(ValueError):
        await AccessLog(world.redis, 60).record("amina", "peek", SMS_USER)
