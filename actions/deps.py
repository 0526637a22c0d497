"""The dependencies of the actions: lazy, cached factories (nothing done at import time).

Every action asks these factories; tests replace one with ``get_x.override(value)`` and call ``reset()``
afterwards, which forgets every cached or overridden value at once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import update_wrapper
from typing import Generic, TypeVar

import redis.asyncio as aioredis

from bot import redis_connect
from bot.activity.log import ActivityLog
from bot.booking.jobs import arq_pool
from bot.booking.motives import load_motives
from bot.booking.overrides import DayOverrides
from bot.booking.reminders import ArqReminderScheduler
from bot.booking.service import BookingService
from bot.booking.store import BookingStore
from bot.clock import Clock, system_clock
from bot.handoff.alerts import MediatorAlerts, build_alerts
from bot.kb.model import KB_DIR, Entry, cached_kb
from bot.settings import Settings
from bot.sites import SiteDirectory, load_sites

T = TypeVar("T")


class Factory(Generic[T]):
    """Builds a value on first call and keeps it; ``override`` replaces it (tests)."""

    def __init__(self, build: Callable[[], T]) -> None:
        self._build = build
        self._value: T | None = None
        self._built = False
        update_wrapper(self, build)

    def __call__(self) -> T:
        if not self._built:
            self._value, self._built = self._build(), True
        return self._value  # type: ignore[return-value]

    def override(self, value: T) -> None:
        """Use ``value`` until the next ``reset()``."""
        self._value, self._built = value, True

    def cache_clear(self) -> None:
        """Forget the value (built again on next call)."""
        self._value, self._built = None, False


_FACTORIES: list[Factory[object]] = []


def cached(build: Callable[[], T]) -> Factory[T]:
    """Declare a cached dependency factory."""
    factory = Factory(build)
    _FACTORIES.append(factory)  # type: ignore[arg-type]
    return factory


@cached
def get_settings() -> Settings:
    """Settings read once from the environment."""
    return Settings.from_env()


@cached
def get_sites() -> SiteDirectory:
    """The site directory, loaded once."""
    return load_sites(get_settings().sites_file)


@cached
def get_redis() -> aioredis.Redis:
    """A shared asyncio Redis client (connection pool) for the action server."""
    return redis_connect.client(get_settings())


@cached
def get_activity() -> ActivityLog:
    """The pseudonymised activity log on the shared Redis client."""
    return ActivityLog(get_redis(), retention_days=get_settings().activity_retention_days)


@cached
def get_alerts() -> MediatorAlerts | None:
    """Alerts to the mediators' Telegram group, when TELEGRAM_MEDIATOR_CHAT_ID and the bot token are set."""
    return build_alerts(get_settings())


@cached
def get_clock() -> Clock:
    """The clock of every action (Europe/Paris unless the sites say otherwise)."""
    return system_clock(get_sites().tz)


@cached
def get_kb() -> dict[str, Entry]:
    """Knowledge-base entries by id."""
    return cached_kb(KB_DIR)


@cached
def get_booking_service() -> BookingService:
    """The booking service over the shared Redis client."""
    sites, catalog, client, now = get_sites(), load_motives(), get_redis(), get_clock()
    return BookingService(
        sites=sites,
        catalog=catalog,
        store=BookingStore(
            client, catalog.rules.granularity_minutes, timedelta(seconds=get_settings().booking_retention_seconds)
        ),
        now=now,
        reminders=ArqReminderScheduler(arq_pool(client), sites.tz, now),
        activity=ActivityLog(client, clock=lambda: now().timestamp()),
        overrides=DayOverrides(client, sites.tz, now),
    )


def reset() -> None:
    """Forget every cached or overridden dependency (tests change the environment)."""
    for factory in _FACTORIES:
        factory.cache_clear()
