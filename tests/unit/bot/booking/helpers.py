"""Helpers for the booking action tests: trackers, the booking domain, a service on real Redis."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import redis.asyncio as aioredis
import yaml
from rasa_sdk import Tracker

from bot.booking.jobs import arq_pool
from bot.booking.motives import load_motives
from bot.booking.reminders import ArqReminderScheduler
from bot.booking.service import BookingService
from bot.booking.store import BookingStore
from bot.settings import PROJECT_ROOT
from bot.sites import load_sites
from tests import trackers
from tests.sites import SITES_FILE
from tests.trackers import user

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 27, 8, 0, tzinfo=PARIS)  # a Friday
USER = "sms-33612345678"


def booking_domain() -> dict[str, Any]:
    """The parsed domain/booking.yml."""
    return yaml.safe_load(Path(PROJECT_ROOT / "domain" / "booking.yml").read_text(encoding="utf-8"))


def make_service(redis_url: str, now: datetime = NOW) -> tuple[BookingService, aioredis.Redis]:
    """A booking service on the real Redis test database and the example sites, with a fixed clock."""
    client = aioredis.Redis.from_url(redis_url)
    sites = load_sites(SITES_FILE)
    catalog = load_motives()
    pool = arq_pool(client)
    service = BookingService(
        sites=sites,
        catalog=catalog,
        store=BookingStore(client),
        now=lambda: now,
        reminders=ArqReminderScheduler(pool, sites.tz, lambda: now),
    )
    return service, client


def make_tracker(
    text: str = "",
    intent: str = "",
    slots: dict[str, Any] | None = None,
    entities: list[dict[str, Any]] | None = None,
    active_loop: str | None = None,
    sender: str = USER,
) -> Tracker:
    """A tracker whose latest message is ``text`` with ``intent`` (see tests/trackers.py)."""
    return trackers.make_tracker([user(text, intent, entities, 1.0)], slots, sender, active_loop)


def slot_values(events: list[dict[str, Any]]) -> dict[str, Any]:
    """The slot values set by a list of events (last one wins)."""
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
