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
    url: str

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
    eraser = Eraser(client, store, service, lambda: NOW)
    yield World(client, service, HandoffStore(client, clock=NOW.timestamp), eraser, redis_url)
    await client.close()


async def key_content(redis: aioredis.Redis, key: str) -> bytes:
    """Everything a key holds (names, members, values, fields), as one byte string."""
    kind = (await redis.type(key)).decode()
    if kind == "string":
        return await redis.get(key) or b""
    if kind == "list":
        parts = await redis.lrange(key, 0, -1)
    elif kind == "set":
        parts = list(await redis.smembers(key))
    elif kind == "zset":
        parts = await redis.zrange(key, 0, -1)
    elif kind == "hash":
        parts = [b"%s=%s" % pair for pair in (await redis.hgetall(key)).items()]
    elif kind == "stream":
        parts = [b"%s=%s" % pair for _, fields in await redis.xrange(key) for pair in fields.items()]
    else:
        parts = []
    return b"\n".join(parts)


async def keys_holding(redis: aioredis.Redis, text: str) -> list[str]:
    """Every key whose name or content contains ``text``, sorted."""
    found = []
    async for raw in redis.scan_iter(count=1000):
        if text.encode() in raw or text.encode() in await key_content(redis, raw.decode()):
            found.append(raw.decode())
    return sorted(found)


async def keys_naming(redis: aioredis.Redis, sender_id: str) -> list[str]:
    """Every key whose name contains the sender id, sorted."""
    return sorted([k.decode() async for k in redis.scan_iter(count=1000) if sender_id in k.decode()])
