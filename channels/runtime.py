"""A channel's Redis client and outbound router, built lazily inside the running loop, and its background tasks."""

from __future__ import annotations

import asyncio
import collections
import hashlib
import json
import logging
import os
import socket
import uuid
from collections.abc import Callable, Coroutine
from typing import Any

import redis.asyncio as aioredis

from bot.inbound.pump import InboundPump
from bot.outbound import OutboundRouter
from bot.redis_connect import client as redis_client
from bot.settings import Settings

log = logging.getLogger(__name__)


class TurnReplies:
    """The answers each recent turn sent, in this process. The inbound pump tries a failed turn again (Redis failed
    over after the answers went out but before the tracker was saved, say): the retry's answers that an earlier
    attempt already sent, same place, same text, are not sent twice. Bounded: the last ``size`` turns."""

    def __init__(self, size: int = 1000) -> None:
        self._size = size
        self._turns: collections.OrderedDict[str, list[str]] = collections.OrderedDict()

    def of(self, sender_id: str, entries: list[dict[str, Any]]) -> list[str]:
        """The record of one turn (its sender and journal entries, the same at every attempt)."""
        key = sender_id + hashlib.sha256(json.dumps(entries, sort_keys=True, default=str).encode()).hexdigest()
        record = self._turns.pop(key, [])
        self._turns[key] = record
        while len(self._turns) > self._size:
            self._turns.popitem(last=False)
        return record


class Runtime:
    """Redis client and outbound router, built lazily inside the running loop (one per loop)."""

    def __init__(self, settings: Settings, build: Callable[[aioredis.Redis], OutboundRouter]) -> None:
        self._settings = settings
        self._build = build
        self._loop: asyncio.AbstractEventLoop | None = None
        self._redis: aioredis.Redis | None = None
        self._router: OutboundRouter | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self.owner = f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        self.pump: InboundPump | None = None
        self.replies = TurnReplies()

    def _ensure(self) -> None:
        loop = asyncio.get_running_loop()
        if self._loop is not loop:
            self._redis = redis_client(self._settings, timeout=5)
            self._router = self._build(self._redis)
            self._loop = loop
            self.pump = None

    @property
    def redis(self) -> aioredis.Redis:
        """The Redis client of the running loop."""
        self._ensure()
        assert self._redis is not None
        return self._redis

    @property
    def router(self) -> OutboundRouter:
        """The outbound router of the running loop."""
        self._ensure()
        assert self._router is not None
        return self._router

    def spawn(self, coro: Coroutine[Any, Any, Any], what: str) -> asyncio.Task[Any]:
        """Run work after the webhook answered; exceptions are logged, tasks kept referenced."""

        async def guarded() -> None:
            try:
                await coro
            except Exception:
                log.exception("background %s failed", what)

        task = asyncio.get_running_loop().create_task(guarded())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def drain(self, timeout: float = 8.0) -> None:
        """Finish the turns in progress and those waiting in a burst window, then background work (bounded)."""
        if self.pump is not None:
            await self.pump.stop(timeout)
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=timeout)
