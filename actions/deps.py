"""Lazy, cached dependencies of the actions (overridable in tests, nothing done at import time)."""

from __future__ import annotations

from functools import lru_cache

import redis.asyncio as aioredis

from bot.activity.log import ActivityLog
from bot.handoff.alerts import MediatorAlerts
from bot.settings import Settings
from bot.sites import SiteDirectory, load_sites


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings read once from the environment."""
    return Settings.from_env()


@lru_cache(maxsize=1)
def get_sites() -> SiteDirectory:
    """The site directory, loaded once."""
    return load_sites(get_settings().sites_file)


@lru_cache(maxsize=1)
def get_redis() -> aioredis.Redis:
    """A shared asyncio Redis client (connection pool) for the action server."""
    return aioredis.Redis.from_url(get_settings().redis_url, socket_timeout=5, socket_connect_timeout=5)


@lru_cache(maxsize=1)
def get_activity() -> ActivityLog:
    """The pseudonymised activity log on the shared Redis client."""
    return ActivityLog(get_redis(), retention_days=get_settings().activity_retention_days)


@lru_cache(maxsize=1)
def get_alerts() -> MediatorAlerts | None:
    """Alerts to the mediators' Telegram group, when TELEGRAM_MEDIATOR_CHAT_ID and the bot token are set."""
    settings = get_settings()
    if not (settings.telegram.bot_token and settings.telegram.mediator_chat_id):
        return None
    from bot.outbound.telegram_sender import TelegramBotSender

    sender = TelegramBotSender(settings.telegram.bot_token, settings.telegram.api_base_url)
    return MediatorAlerts(sender, settings.telegram.mediator_chat_id, settings.console_url)


def reset() -> None:
    """Forget cached dependencies (tests change the environment)."""
    get_activity.cache_clear()
    get_alerts.cache_clear()
    get_settings.cache_clear()
    get_sites.cache_clear()
    get_redis.cache_clear()
