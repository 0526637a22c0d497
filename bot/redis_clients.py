"""The one place that turns the settings into Redis clients (every process, CLI and channel asks it).

``timeout`` is the socket timeout of each command: ``None`` for a client that blocks on purpose (the console's
pub/sub and server-sent events), a few seconds elsewhere, so that a stalled server is noticed.
"""

from __future__ import annotations

import redis.asyncio as aioredis
from arq.connections import RedisSettings

from bot.settings import Settings


def redis_client(settings: Settings, *, timeout: float | None, connect_timeout: float = 5.0) -> aioredis.Redis:
    """An asyncio client (its own connection pool) for the configured Redis server."""
    return aioredis.Redis.from_url(settings.redis_url, socket_timeout=timeout, socket_connect_timeout=connect_timeout)


def arq_settings(settings: Settings, *, connect_timeout: int = 5) -> RedisSettings:
    """The arq worker's connection to the same server (the reminders queue)."""
    found = RedisSettings.from_dsn(settings.redis_url)
    found.conn_timeout = connect_timeout
    return found
