"""The composition root: how the services are built from the settings, a Redis client and a clock.

Actions (``actions/deps.py``), the console, the channels, the event broker, the worker and the CLIs build
their services here, so that each is assembled one way: the same retention, the same time zone (the sites'
``timezone``), the same reminder scheduler. Nothing here reads the environment or connects at import time.
"""

from __future__ import annotations

from datetime import timedelta
from functools import partial
from pathlib import Path

import redis.asyncio as aioredis

from bot.activity.log import ActivityLog
from bot.booking.jobs import arq_pool
from bot.booking.motives import MotiveCatalog, load_motives
from bot.booking.overrides import DayOverrides
from bot.booking.reminders import ArqReminderScheduler
from bot.booking.service import BookingService
from bot.booking.store import BookingStore
from bot.clock import Clock, system_clock
from bot.handoff.alerts import build_alerts
from bot.handoff.announce import Announcer
from bot.handoff.rasa_api import RasaApi
from bot.handoff.service import HandoffService, Router
from bot.handoff.store import HandoffStore
from bot.handoff.waiting import Sender, WaitingGate
from bot.optout import OptOutStore
from bot.privacy import messages
from bot.privacy.erase import Eraser
from bot.privacy.gate import PrivacyGate
from bot.redis_connect import client as redis_client
from bot.settings import Settings
from bot.sites import SiteDirectory, load_sites

__all__ = [
    "activity_log",
    "booking_service",
    "booking_store",
    "clock",
    "contact",
    "eraser",
    "handoff_service",
    "handoff_store",
    "motives",
    "opt_outs",
    "privacy_gate",
    "redis_client",
    "sites",
    "waiting_gate",
]

_SITES: dict[tuple[Path, int, int], SiteDirectory] = {}


def sites(settings: Settings) -> SiteDirectory:
    """The configured sites, read once per version of the file (a process shares one directory)."""
    path = settings.sites_file
    stat = path.stat()
    key = (path.resolve(), stat.st_mtime_ns, stat.st_size)
    if key not in _SITES:
        _SITES.clear()
        _SITES[key] = load_sites(path)
    return _SITES[key]


def motives() -> MotiveCatalog:
    """The appointment motives and booking rules (``config/motives.yml``)."""
    return load_motives()


def clock(settings: Settings) -> Clock:
    """The real clock in the sites' time zone."""
    return system_clock(sites(settings).tz)


def activity_log(settings: Settings, redis: aioredis.Redis, now: Clock | None = None) -> ActivityLog:
    """The activity log with the configured retention (ACTIVITY_RETENTION_DAYS) and the sites' time zone."""
    tz = sites(settings).tz
    if now is None:
        return ActivityLog(redis, retention_days=settings.activity_retention_days, tz=tz)
    at = now
    return ActivityLog(redis, clock=lambda: at().timestamp(), retention_days=settings.activity_retention_days, tz=tz)


def booking_store(settings: Settings, redis: aioredis.Redis) -> BookingStore:
    """The bookings in Redis, kept BOOKING_RETENTION_DAYS after their day."""
    retention = timedelta(seconds=settings.booking_retention_seconds)
    return BookingStore(redis, motives().rules.granularity_minutes, retention)


def booking_service(
    settings: Settings,
    redis: aioredis.Redis,
    now: Clock | None = None,
    *,
    reminders: bool = True,
    record: bool = True,
    directory: SiteDirectory | None = None,
) -> BookingService:
    """The booking service: store with the configured retention, day overrides, reminder scheduler
    (``reminders``: cancelling or moving unschedules the reminder) and activity log (``record``: the eraser
    does not count the bookings it cancels, so that nothing about an erased resident is written again).
    ``directory`` replaces the configured sites (tests of the actions override them)."""
    places, catalog = directory or sites(settings), motives()
    at = now or system_clock(places.tz)
    return BookingService(
        sites=places,
        catalog=catalog,
        store=booking_store(settings, redis),
        now=at,
        reminders=ArqReminderScheduler(arq_pool(redis), places.tz, at) if reminders else None,
        activity=activity_log(settings, redis, at) if record else None,
        overrides=DayOverrides(redis, places.tz, at),
    )


def eraser(settings: Settings, redis: aioredis.Redis, now: Clock | None = None) -> Eraser:
    """An eraser cancelling bookings through the booking service (slots freed, reminders unscheduled)."""
    service = booking_service(settings, redis, now, record=False)
    return Eraser(redis, service.store, service, service.now)


def contact(settings: Settings, language: str = "fr") -> str:
    """Whom residents contact about their data: PRIVACY_CONTACT, else the first configured counter (said in the
    resident's language)."""
    if settings.privacy_contact:
        return settings.privacy_contact
    site = sites(settings).default()
    return messages.contact_line(site.name, site.phone, language)


def privacy_gate(settings: Settings, redis: aioredis.Redis, *, notice: bool) -> PrivacyGate:
    """The privacy gate of one channel process (``notice``: send the first-contact notice on this channel)."""
    return PrivacyGate(
        redis,
        lambda: eraser(settings, redis),
        retention_days=settings.retention_days,
        retention_seconds=settings.retention_seconds,
        contact=partial(contact, settings),
        notice=notice,
    )


def opt_outs(settings: Settings, redis: aioredis.Redis) -> OptOutStore:
    """STOP / START, counted in the activity log."""
    return OptOutStore(redis, activity_log(settings, redis))


def handoff_store(settings: Settings, redis: aioredis.Redis) -> HandoffStore:
    """The hand-off records, kept RETENTION_DAYS."""
    return HandoffStore(redis, ttl=settings.retention_seconds)


def handoff_service(
    settings: Settings,
    redis: aioredis.Redis,
    router: Router,
    rasa: RasaApi,
    *,
    store: HandoffStore | None = None,
    activity: ActivityLog | None = None,
    directory: SiteDirectory | None = None,
) -> HandoffService:
    """The resident's request and the mediators' verbs, in the sites' time zone, with the mediators' alerts
    when configured. ``store``, ``activity`` and ``directory`` replace the built ones (the actions' factories)."""
    places = directory or sites(settings)
    return HandoffService(
        store or handoff_store(settings, redis),
        rasa,
        router,
        activity or activity_log(settings, redis),
        places.tz,
        alerts=build_alerts(settings),
        sites=places,
        ack_interval=settings.handoff_ack_interval,
    )


def waiting_gate(settings: Settings, redis: aioredis.Redis, router: Sender) -> WaitingGate:
    """The gate around each turn of a held conversation (the resident waits for a mediator)."""
    recorder = RasaApi(settings.rasa_url, settings.rasa_token, timeout=10) if settings.rasa_token else None
    places = sites(settings)
    return WaitingGate(
        redis,
        router,
        places.default,
        places.tz,
        ack_interval=settings.handoff_ack_interval,
        recorder=recorder,
        announcer=Announcer(redis, activity_log(settings, redis), build_alerts(settings), settings.retention_seconds),
    )
