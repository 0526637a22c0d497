"""Rasa lock store backed by ``bot.fifo_lock``: atomic, fair and expiring across processes and machines.

Rasa's own ``RedisLockStore`` reads, modifies and writes its ticket list without atomicity (two processes
can both believe they hold a conversation, and one turn is lost) and waits by sleeping one second between
tries. endpoints.yml selects this class with ``lock_store: type: stores.lock_store.FifoRedisLockStore``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import redis.asyncio as aioredis
from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, LockStore
from rasa.utils.endpoints import EndpointConfig

from bot import redis_connect
from bot.fifo_lock import FifoLock, LockUnavailable

DEFAULT_PREFIX = "pimmslock"


def redis_from_endpoint(config: EndpointConfig, lifetime: float) -> aioredis.Redis:
    """An asyncio Redis client from the same keys as Rasa's Redis lock store (url, port, db, TLS, ACL)."""
    kwargs: dict[str, Any] = config.kwargs
    if kwargs.get("sentinels"):  # the primary Redis Sentinel names, followed through a failover
        return redis_connect.client(
            redis_connect.settings_of_store({**kwargs, "url": config.url}), timeout=lifetime + 10
        )
    tls = {k: kwargs[k] for k in ("ssl_ca_certs", "ssl_certfile", "ssl_keyfile") if kwargs.get(k)}
    return aioredis.Redis(
        host=config.url or "127.0.0.1",
        port=int(kwargs.get("port") or 6379),
        db=int(kwargs.get("db") or 0),
        username=kwargs.get("username") or None,
        password=kwargs.get("password") or None,
        ssl=bool(kwargs.get("use_ssl", False)),
        **tls,
        socket_connect_timeout=5,
        # A waiter blocks in BLPOP for at most one lock lifetime: the socket must wait a little longer.
        socket_timeout=lifetime + 10,
    )


class FifoRedisLockStore(LockStore):
    """Conversation locks for Rasa, one ticket queue per conversation in Redis."""

    def __init__(self, endpoint_config: EndpointConfig) -> None:
        prefix = str(endpoint_config.kwargs.get("key_prefix") or DEFAULT_PREFIX)
        self.fifo = FifoLock(redis_from_endpoint(endpoint_config, LOCK_LIFETIME), f"{prefix}:", LOCK_LIFETIME)
        super().__init__()

    @asynccontextmanager
    async def lock(
        self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME, wait_time_in_seconds: float = 1
    ) -> AsyncIterator[TicketLock]:
        """Hold the conversation for the block; ``wait_time_in_seconds`` is ignored (no polling)."""
        try:
            ticket = await self.fifo.acquire(conversation_id, lock_lifetime)
        except LockUnavailable as exc:
            raise LockError(f"could not lock the conversation: {exc}") from exc
        try:
            yield TicketLock(conversation_id)
        finally:
            await self.fifo.leave(conversation_id, ticket)

    # Rasa only calls ``lock()``; its ticket-list primitives have no meaning for this store.
    def get_lock(self, conversation_id: str) -> TicketLock | None:
        """Not used (the queue lives in Redis): always None."""
        return None

    def delete_lock(self, conversation_id: str) -> None:
        """Not used: tickets expire on their own."""

    def save_lock(self, lock: TicketLock) -> None:
        """Not used: tickets are written by the Lua scripts."""
