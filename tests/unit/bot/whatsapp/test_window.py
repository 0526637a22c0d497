"""The 24-hour customer-service window on real Redis, with an injected clock."""

from __future__ import annotations

from datetime import datetime, timedelta

import redis.asyncio as aioredis

from bot.clock import PARIS
from bot.whatsapp.window import WINDOW_SECONDS, ServiceWindow, window_key

SENDER = "wa-33612345678"
MOMENT = datetime(2026, 12, 9, 10, 0, tzinfo=PARIS)


class Clock:
    def __init__(self) -> None:
        self.now = MOMENT

    def __call__(self) -> datetime:
        return self.now


async def test_open_for_24_hours_after_the_last_message_then_closed(redis_url: str) -> None:
    client, clock = aioredis.Redis.from_url(redis_url), Clock()
    window = ServiceWindow(client, clock)
    assert not await window.is_open(SENDER)  # never wrote
    await window.opened(SENDER)
    clock.now = MOMENT + timedelta(hours=23, minutes=59)
    assert await window.is_open(SENDER)
    assert 0 < await window.remaining(SENDER) <= 60
    clock.now = MOMENT + timedelta(hours=24, seconds=1)
    assert not await window.is_open(SENDER)
    assert await window.remaining(SENDER) == 0
    await client.close()


async def test_each_message_restarts_the_window_and_the_key_expires_with_it(redis_url: str) -> None:
    client, clock = aioredis.Redis.from_url(redis_url), Clock()
    window = ServiceWindow(client, clock)
    await window.opened(SENDER)
    clock.now = MOMENT + timedelta(hours=20)
    await window.opened(SENDER)
    clock.now = MOMENT + timedelta(hours=30)
    assert await window.is_open(SENDER)
    assert 0 < await client.ttl(window_key(SENDER)) <= WINDOW_SECONDS  # nothing kept past the window
    await window.erase(SENDER)
    assert not await window.is_open(SENDER)
    await client.close()


async def test_a_window_across_the_daylight_saving_night_is_24_real_hours(redis_url: str) -> None:
    client, clock = aioredis.Redis.from_url(redis_url), Clock()
    clock.now = datetime(2027, 3, 27, 12, 0, tzinfo=PARIS)  # the clocks go forward that night
    window = ServiceWindow(client, clock)
    await window.opened(SENDER)
    clock.now = datetime(2027, 3, 28, 12, 30, tzinfo=PARIS)  # 23 h 30 of real time later
    assert await window.is_open(SENDER)
    clock.now = datetime(2027, 3, 28, 13, 1, tzinfo=PARIS)  # 24 h 01 later
    assert not await window.is_open(SENDER)
    await client.close()
