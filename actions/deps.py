"""Lazy, cached dependencies of the actions (overridable in tests, nothing done at import time)."""

from __future__ import annotations

from functools import lru_cache

import redis.asyncio as aioredis

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


def reset() -> None:
    """Forget cached dependencies (tests change the environment)."""
    get_settings.cache_clear()
    get_sites.cache_clear()
    get_redis.cache_clear()
