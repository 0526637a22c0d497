"""Dead letters never outlive their 30 days: pruned on write and by the sweep; the retention check looks inside."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest
import redis.asyncio as aioredis

from bot.handoff.activity import ACTIVITY_STREAM
from bot.outbound.dead_letters import DEAD_LETTERS_KEY, DeadLetters
from bot.privacy.retention import check_retention
from bot.privacy.sweep import sweep_shared_keys
from bot.settings import Settings

NOW = 1_796_000_000.0  # 2026-11-30
DAY = 24 * 3600


@pytest.fixture
async def client(redis_url: str) -> AsyncIterator[aioredis.Redis]:
    redis = aioredis.Redis.from_url(redis_url)
    yield redis
    await redis.close()


async def test_a_40_day_old_letter_goes_at_the_next_write(client: aioredis.Redis) -> None:
    await DeadLetters(client, clock=lambda: NOW - 40 * DAY).add("sms-33612345678", "sms", "Votre dossier", "500")
    letters = DeadLetters(client, clock=lambda: NOW)
    assert await letters.list() == [] and await letters.count() == 0  # past its age: never shown
    await letters.add("tg-4242", "telegram", "Bonjour", "502")
    assert [raw for raw in await client.zrange(DEAD_LETTERS_KEY, 0, -1) if b"33612345678" in raw] == []
    assert [d.sender_id for d in await letters.list()] == ["tg-4242"]
    assert 0 < await client.ttl(DEAD_LETTERS_KEY) <= 30 * DAY


async def test_the_sweep_removes_old_letters_and_stream_entries_without_any_write(client: aioredis.Redis) -> None:
    await DeadLetters(client, clock=lambda: NOW - 31 * DAY).add("sms-33612345678", "sms", "Votre dossier", "500")
    await DeadLetters(client, clock=lambda: NOW - 2 * DAY).add("tg-4242", "telegram", "Bonjour", "502")
    await client.xadd(ACTIVITY_STREAM, {"sender_id": "sms-33612345678"}, id=f"{int((NOW - 2 * DAY) * 1000)}-0")
    await client.xadd(ACTIVITY_STREAM, {"sender_id": "tg-4242"}, id=f"{int((NOW - 60) * 1000)}-0")
    await client.expire(ACTIVITY_STREAM, DAY)  # the key's TTL, refreshed by each entry, says nothing of the oldest
    settings = Settings(retention_days=90)
    problems = {v.key: v.problem for v in await check_retention(client, settings, now=lambda: NOW)}
    assert set(problems) == {DEAD_LETTERS_KEY, ACTIVITY_STREAM}, problems
    assert await sweep_shared_keys(client, NOW) == {"dead_letters": 1, "activity_stream": 1}
    assert [json.loads(raw)["sender_id"] for raw in await client.zrange(DEAD_LETTERS_KEY, 0, -1)] == ["tg-4242"]
    assert [fields[b"sender_id"] for _, fields in await client.xrange(ACTIVITY_STREAM)] == [b"tg-4242"]
    assert await check_retention(client, settings, now=lambda: NOW) == []


async def test_a_list_left_by_an_older_version_becomes_the_sorted_set(client: aioredis.Redis) -> None:
    old = {"id": "x", "sender_id": "tg-1", "channel": "telegram", "text": "a", "detail": "b"}
    entries = [json.dumps({**old, "at": NOW - 45 * DAY}), json.dumps({**old, "at": NOW - DAY})]
    await client.lpush(DEAD_LETTERS_KEY, *entries)
    letters = DeadLetters(client, clock=lambda: NOW)
    assert [d.at for d in await letters.list()] == [NOW - DAY]
    assert await client.zcard(DEAD_LETTERS_KEY) == 1
