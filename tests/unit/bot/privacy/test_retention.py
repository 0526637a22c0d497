"""The reusable retention check: unregistered keys, keys without expiry, keys kept too long."""

from __future__ import annotations

from bot.privacy.keys import spec_for
from bot.privacy.retention import check_retention
from bot.settings import Settings

from .conftest import SMS_USER, World


async def test_registered_keys_with_expiry_pass(world: World) -> None:
    settings = Settings(retention_days=90)
    await world.redis.set(f"pimmstracker:tracker:{SMS_USER}", "{}", ex=90 * 86400)
    await world.redis.set(f"pimms:optout:{SMS_USER}", "1")  # kept on purpose
    await world.redis.set("pimms:dedup:twilio:SM1", "1", ex=3 * 86400)
    assert await check_retention(world.redis, settings) == []


async def test_violations_are_reported(world: World) -> None:
    settings = Settings(retention_days=30)
    await world.redis.set(f"pimms:handoff:notes:{SMS_USER}", "x")  # no expiry
    await world.redis.set(f"pimmstracker:tracker:{SMS_USER}", "{}", ex=90 * 86400)  # longer than 30 days
    await world.redis.set("pimms:newfeature:thing", "1", ex=60)  # not registered
    problems = {v.key: v.problem for v in await check_retention(world.redis, settings)}
    assert problems[f"pimms:handoff:notes:{SMS_USER}"].startswith("no expiry")
    assert "more than" in problems[f"pimmstracker:tracker:{SMS_USER}"]
    assert "not registered" in problems["pimms:newfeature:thing"]


def test_per_sender_patterns_win_over_shared_ones() -> None:
    spec = spec_for("pimms:booking:user:sms-336")
    assert spec is not None and spec.per_sender
    assert spec_for("pimms:booking:reminders") is not None


async def test_the_real_conversation_lock_keys_are_registered(world: World) -> None:
    from bot.fifo_lock import FifoLock

    await FifoLock(world.redis, "pimmslock:", lifetime=60).acquire(SMS_USER)
    names = [k.decode() async for k in world.redis.scan_iter(match="pimmslock:*")]
    assert f"pimmslock:{{{SMS_USER}}}:q" in names
    assert await check_retention(world.redis, Settings(retention_days=90)) == []
    assert all(spec_for(name) is not None and spec_for(name).per_sender for name in names)  # type: ignore[union-attr]
