"""The held-conversation activity stream: capped, expiring, read by blocking, erasable."""

from __future__ import annotations

import asyncio

import redis
import redis.asyncio as aioredis

from bot.handoff import activity


def test_only_held_conversations_are_announced() -> None:
    assert activity.is_held(True, None)
    assert activity.is_held(False, "waiting") and activity.is_held(False, "with_mediator")
    assert not activity.is_held(False, "bot") and not activity.is_held(False, None)


async def test_announcements_wake_a_blocked_reader_and_can_be_erased(redis_url: str) -> None:
    sync = redis.Redis.from_url(redis_url)
    client = aioredis.Redis.from_url(redis_url)
    try:
        start = await activity.latest_id(client)
        reader = asyncio.create_task(activity.wait_for_activity(client, start, block_ms=5000))
        await asyncio.sleep(0.1)
        for sender in ("sms-33600000001", "sms-33600000002", "sms-33600000001"):
            activity.announce(sync, sender)
        position, senders = await asyncio.wait_for(reader, 2)
        assert senders[0] == "sms-33600000001"
        assert 0 < sync.ttl(activity.ACTIVITY_STREAM) <= activity.STREAM_TTL_SECONDS
        _, rest = await activity.wait_for_activity(client, position, block_ms=10)
        assert set(senders + rest) == {"sms-33600000001", "sms-33600000002"}
        assert await activity.erase(client, "sms-33600000001") == 2
        entries = sync.xrange(activity.ACTIVITY_STREAM)
        assert [f[b"sender_id"] for _, f in entries] == [b"sms-33600000002"]
    finally:
        sync.close()
        await client.close()
