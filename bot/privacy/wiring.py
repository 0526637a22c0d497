"""Build the privacy services from settings and a Redis client (channels, actions, console and CLI share it)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import redis.asyncio as aioredis

from bot.booking.jobs import arq_pool
from bot.booking.motives import load_motives
from bot.booking.reminders import ArqReminderScheduler
from bot.booking.service import BookingService
from bot.booking.store import BookingStore
from bot.clock import system_clock
from bot.privacy import messages
from bot.privacy.erase import Eraser
from bot.settings import Settings
from bot.sites import load_sites

Clock = Callable[[], datetime]


def booking_service(settings: Settings, client: aioredis.Redis, now: Clock | None = None) -> BookingService:
    """The booking service with the arq reminder scheduler (cancelling unschedules the reminder)."""
    sites, catalog = load_sites(settings.sites_file), load_motives()
    clock: Clock = now or system_clock(sites.tz)
    pool = arq_pool(client)
    retention = timedelta(seconds=settings.booking_retention_seconds)
    store = BookingStore(client, catalog.rules.granularity_minutes, retention)
    return BookingService(sites, catalog, store, clock, ArqReminderScheduler(pool, sites.tz, clock))


def eraser(settings: Settings, client: aioredis.Redis, now: Clock | None = None) -> Eraser:
    """An eraser cancelling bookings through the booking service."""
    service = booking_service(settings, client, now)
    return Eraser(client, service.store, service, service.now)


def contact(settings: Settings) -> str:
    """Whom residents contact about their data: PRIVACY_CONTACT, else the first configured counter."""
    if settings.privacy_contact:
        return settings.privacy_contact
    site = load_sites(settings.sites_file).default()
    return messages.contact_line(site.name, site.phone)
