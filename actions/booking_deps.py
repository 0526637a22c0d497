"""Lazy, cached booking dependencies for the actions (overridable in tests, nothing done at import)."""

from __future__ import annotations

from datetime import datetime

from arq.connections import ArqRedis

from actions.deps import get_redis, get_sites
from bot.activity.log import ActivityLog
from bot.booking.motives import load_motives
from bot.booking.overrides import DayOverrides
from bot.booking.reminders import ArqReminderScheduler
from bot.booking.service import BookingService
from bot.booking.store import BookingStore

_service: BookingService | None = None


def get_booking_service() -> BookingService:
    """The booking service over the shared Redis client (built on first use)."""
    global _service
    if _service is None:
        sites = get_sites()
        catalog = load_motives()
        client = get_redis()
        pool = ArqRedis(connection_pool=client.connection_pool)

        def now() -> datetime:
            return datetime.now(sites.tz)

        _service = BookingService(
            sites=sites,
            catalog=catalog,
            store=BookingStore(client, catalog.rules.granularity_minutes),
            now=now,
            reminders=ArqReminderScheduler(pool, sites.tz, now),
            activity=ActivityLog(client, clock=lambda: now().timestamp()),
            overrides=DayOverrides(client, sites.tz),
        )
    return _service


def set_booking_service(service: BookingService | None) -> None:
    """Replace (tests) or forget (None) the cached service."""
    global _service
    _service = service
