"""Booking service against real Redis under concurrency: capacity and the per-user limit hold."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

import pytest
import redis.asyncio as aioredis

from bot.booking.models import Booking, SlotFull, TooManyBookings
from bot.booking.motives import load_motives
from bot.booking.service import BookingService
from bot.booking.store import BookingStore
from bot.sites import load_sites
from tests.sites import SITES_FILE

SITES = load_sites(SITES_FILE)
NOW = datetime(2026, 11, 27, 8, 0, tzinfo=SITES.tz)


def service_on(client: aioredis.Redis) -> BookingService:
    return BookingService(SITES, load_motives(), BookingStore(client), lambda: NOW)


async def race(redis_url: str, site: str, requests: list[tuple[str, int]]) -> list[Any]:
    """``(user, slot index)`` booking requests on ``site``, all at once, each on its own connection."""
    clients = [aioredis.Redis.from_url(redis_url) for _ in requests]
    slots = await service_on(clients[0]).free_slots(site, "caf")
    try:
        return await asyncio.gather(
            *(
                service_on(c).book(user, site, "caf", slots[i].start)
                for c, (user, i) in zip(clients, requests, strict=True)
            ),
            return_exceptions=True,
        )
    finally:
        await asyncio.gather(*(c.close() for c in clients))


@pytest.mark.timeout(60)
async def test_two_counters_take_exactly_two_of_forty_simultaneous_requests(redis_url: str) -> None:
    results = await race(redis_url, "lyon8", [(f"sms-336000000{i:02d}", 0) for i in range(40)])  # 2 counters
    assert sum(isinstance(r, Booking) for r in results) == 2
    assert all(isinstance(r, SlotFull) for r in results if not isinstance(r, Booking))


@pytest.mark.timeout(60)
async def test_one_user_racing_on_ten_slots_gets_at_most_two(redis_url: str) -> None:
    results = await race(redis_url, "vaulx", [("tg-777", i) for i in range(10)])
    assert sum(isinstance(r, Booking) for r in results) == 2
    assert all(isinstance(r, TooManyBookings) for r in results if not isinstance(r, Booking))
