"""A small world on the real Redis test database: booking service (fixed clock), hand-offs, an eraser."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import redis.asyncio as aioredis

from bot.booking.jobs import arq_pool
from bot.booking.models import Booking
from bot.booking.motives import load_motives
from bot.booking.reminders import ArqReminderScheduler
from bot.booking.service import BookingService
from bot.booking.store import BookingStore
from bot.handoff.store import HandoffStore
from bot.privacy.erase import Eraser
from bot.privacy.keys import TRACKER_KEY
from bot.sites import load_sites
from tests.sites import SITES_FILE

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 27, 8, 0, tzinfo=PARIS)  # a Friday
# Far-future expiries: what these tests check must not depend on the day they run.
LONG = timedelta(days=36500)
SMS_USER = "sms-33612345678"
TG_USER = "tg-4242"


@dataclass
class World:
    """What the privacy tests act on."""

    redis: aioredis.Redis
    service: BookingService
    handoffs: HandoffStore
    eraser: Eraser

    async def book_first_free(self, user: str, site: str = "vaulx") -> Booking:
        slot = (await self.service.offers(site, "caf", after=(NOW + timedelta(days=4)).date()))[0]
        return await self.service.book(user, site, "caf", slot.start)

    async def book_past(self, user: str) -> Booking:
        start = NOW - timedelta(days=10)
        booking = Booking("", user, "lyon8", "caf", start, start + timedelta(minutes=30), "sms", created_at=start)
        return await self.service.store.book(booking, capacity=5, limit=5, now=start - timedelta(days=1))

    async def save_tracker(self, user: str, texts: list[tuple[str, str]]) -> None:
        events = [
            {"event": kind, "text": text, "timestamp": NOW.timestamp() + i} for i, (kind, text) in enumerate(texts)
        ]
        events.append({"event": "slot", "name": "booking_motive", "value": "caf", "timestamp": NOW.timestamp()})
        tracker = {"name": user, "events": events}
        await self.redis.set(TRACKER_KEY.replace("{sender}", user), json.dumps(tracker), ex=3600)


@pytest.fixture
async def world(redis_url: str) -> AsyncIterator[World]:
    client = aioredis.Redis.from_url(redis_url)
    sites = load_sites(SITES_FILE)
    catalog = load_motives()
    pool = arq_pool(client)
    store = BookingStore(client, catalog.rules.granularity_minutes, LONG)
    service = BookingService(sites, catalog, store, lambda: NOW, ArqReminderScheduler(pool, sites.tz, lambda: NOW))
    yield World(client, service, HandoffStore(client, clock=NOW.timestamp), Eraser(client, store, service, lambda: NOW))
    await client.close()


async def keys_naming(redis: aioredis.Redis, sender_id: str) -> list[str]:
    """Every key whose name contains the sender id, sorted."""
    return sorted([k.decode() async for k in redis.scan_iter(count=1000) if sender_id in k.decode()])
