"""Inbound rate limit (one notice, then silence) and daily outbound cap."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import redis.asyncio as aioredis

from bot.ratelimit import InboundRateLimiter, OutboundCap


async def test_inbound_limit_gives_one_notice_then_silence(redis_url: str) -> None:
    client = aioredis.Redis.from_url(redis_url)
    limiter = InboundRateLimiter(client, count=3, window=600)
    verdicts = [await limiter.check("sms-33612345678") for _ in range(6)]
    assert verdicts == ["ok", "ok", "ok", "notice", "silent", "silent"]
    assert await limiter.check("tg-42") == "ok"
    assert 0 < await client.ttl("pimms:rl:in:sms-33612345678") <= 600
    await client.close()


async def test_daily_outbound_cap_resets_the_next_day(redis_url: str) -> None:
    client = aioredis.Redis.from_url(redis_url)
    now = datetime(2026, 11, 27, 23, 30, tzinfo=ZoneInfo("Europe/Paris"))
    cap = OutboundCap(client, cap=2, now=lambda: now)
    assert [await cap.allow("sms-33612345678") for _ in range(3)] == [True, True, False]
    now += timedelta(hours=1)
    assert await cap.allow("sms-33612345678")
    await client.close()


async def test_the_outbound_cap_counts_segments_and_refuses_whole_messages(redis_url: str) -> None:
    client = aioredis.Redis.from_url(redis_url)
    now = datetime(2026, 11, 27, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))
    cap = OutboundCap(client, cap=5, now=lambda: now)
    assert await cap.allow("sms-33612345678", units=4)  # one long answer cut in four SMS
    assert not await cap.allow("sms-33612345678", units=2)  # 6 > 5: refused whole, and not counted
    assert await cap.allow("sms-33612345678", units=1)  # a short one still fits
    assert not await cap.allow("sms-33612345678", units=1)
    await client.close()
