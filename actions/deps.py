"""The dependencies of the actions: lazy, cached factories (nothing done at import time).

Every action asks these factories; tests replace one with ``get_x.override(value)`` and call ``reset()``
afterwards, which forgets every cached or overridden value at once.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import update_wrapper
from typing import Generic, TypeVar

import redis.asyncio as aioredis

from bot import wiring
from bot.activity.log import ActivityLog
from bot.booking.service import BookingService
from bot.clock import Clock, system_clock
from bot.handoff.alerts import MediatorAlerts, build_alerts
from bot.handoff.rasa_api import RasaApi
from bot.handoff.service import HandoffService
from bot.handoff.store import HandoffStore
from bot.kb.model import KB_DIR, Entry, cached_kb
from bot.outbound import build_outbound
from bot.reminders.conversation import ReminderConversation
from bot.reminders.programmes import load_programmes
from bot.settings import Settings
from bot.sites import SiteDirectory

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
    return wiring.sites(get_settings())


@cached
def get_redis() -> aioredis.Redis:
    """A shared asyncio Redis client (connection pool) for the action server."""
    return wiring.redis_client(get_settings(), timeout=5)


@cached
def get_activity() -> ActivityLog:
    """The pseudonymised activity log on the shared Redis client."""
    return wiring.activity_log(get_settings(), get_redis(), get_clock())


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
def get_handoff_store() -> HandoffStore:
    """The hand-off store on the shared Redis client, records kept RETENTION_DAYS."""
    return wiring.handoff_store(get_settings(), get_redis())


@cached
def get_handoff_service() -> HandoffService:
    """The hand-off service: the action server takes the residents' requests (``HandoffService.request``)."""
    settings, redis = get_settings(), get_redis()
    rasa, router = RasaApi(settings.rasa_url, settings.rasa_token), build_outbound(settings, redis)
    return wiring.handoff_service(
        settings, redis, router, rasa, store=get_handoff_store(), activity=get_activity(), directory=get_sites()
    )


@cached
def get_booking_service() -> BookingService:
    """The booking service over the shared Redis client (reminders, day overrides, activity log)."""
    return wiring.booking_service(get_settings(), get_redis(), get_clock(), directory=get_sites())


@cached
def get_reminders() -> ReminderConversation:
    """The deadline reminders in the conversation (offers, OUI, RAPPELS, STOP RAPPELS, FAIT)."""
    client, now = get_redis(), get_clock()
    return ReminderConversation(client, load_programmes(), now, wiring.activity_log(get_settings(), client, now))


def reset() -> None:
    """Forget every cached or overridden dependency (tests change the environment)."""
    for factory in _FACTORIES:
        factory.cache_clear()
