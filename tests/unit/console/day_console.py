"""A console on an injected clock (Tuesday 1 December 2026, 10:45 Paris) and bookings made the day before."""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import Iterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import redis.asyncio as aioredis

from bot.activity.log import ActivityLog
from bot.booking.models import Booking
from bot.booking.motives import load_motives
from bot.booking.overrides import DayOverrides
from bot.booking.service import BookingService
from bot.booking.store import BookingStore
from bot.sites import load_sites
from tests.sites import SITES_FILE
from tests.unit.console.conftest import Console, running_console

PARIS = ZoneInfo("Europe/Paris")
CONSOLE_NOW = datetime(2026, 12, 1, 10, 45, tzinfo=PARIS)  # Tuesday, after the 10:00 appointments began
BOOKED_AT = datetime(2026, 11, 30, 9, 0, tzinfo=PARIS)
SMS_RESIDENT, WEB_RESIDENT = "sms-33612345678", "web-agenda-resident"


def in_thread(coro: Any) -> Any:
    """Run a coroutine in a private loop (Playwright's sync API owns the test thread's loop)."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


async def book(
    redis_url: str, user: str, motive: str, hour: int, minute: int, day: int = 1, language: str = "fr"
) -> Booking:
    client = aioredis.Redis.from_url(redis_url)
    try:
        sites, catalog = load_sites(SITES_FILE), load_motives()
        service = BookingService(
            sites=sites,
            catalog=catalog,
            store=BookingStore(client, catalog.rules.granularity_minutes),
            now=lambda: BOOKED_AT,
            activity=ActivityLog(client, clock=BOOKED_AT.timestamp),
            overrides=DayOverrides(client, sites.tz, lambda: BOOKED_AT),
        )
        start = datetime(2026, 12, day, hour, minute, tzinfo=PARIS)
        return await service.book(user, "lyon8", motive, start, language=language)
    finally:
        await client.close()


def day_console(redis_url: str) -> Iterator[Console]:
    """A running console whose clock says CONSOLE_NOW; one mediator, alice."""
    with running_console(redis_url, now=lambda: CONSOLE_NOW) as handle:
        yield handle
