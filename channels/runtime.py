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
from redis.exceptions import RedisError

from bot.inbound.journal import is_requeued
from bot.inbound.pump import InboundPump
from bot.outbound import OutboundRouter
from bot.privacy.keys import TRACKER_KEY
from bot.redis_connect import client as redis_client
from bot.settings import Settings

log = logging.getLogger(__name__)


SENT_PREFIX = "pimms:inbound:sent:"
SENT_TTL = 24 * 3600  # as long as the journal keeps a turn (bot.inbound.journal.ENTRY_TTL)


def _digest(signature: str) -> str:
    """What is kept of an answer: a hash (no resident-facing text in Redis)."""
    return hashlib.sha256(signature.encode()).hexdigest()[:32]


class SentAnswers:
    """The answers the attempts of one turn sent, in order: in this process, and in Redis for the node that runs
    the turn again after this one died (``bot.inbound.journal``: a recovered turn). Only hashes are kept."""

    def __init__(
        self, local: list[str], redis: aioredis.Redis | None = None, key: str = "", recovered: bool = False
    ) -> None:
        self._local = local
        self._redis = redis
        self._key = key
        self._recovered = recovered  # the turn was started before, maybe elsewhere: Redis is read too

    async def already(self, index: int, signature: str) -> bool:
        """Whether answer ``index`` of the turn, with this content, went out in an earlier attempt."""
        digest = _digest(signature)
        if index < len(self._local) and self._local[index] == digest:
            return True
        if self._redis is None or not self._recovered:
            return False
        try:
            stored = await self._redis.lindex(self._key, index)
        except RedisError:
            return False  # Redis fails: the turn fails at its tracker save anyway and is tried again
        return stored is not None and (stored.decode() if isinstance(stored, bytes) else str(stored)) == digest

    async def record(self, index: int, signature: str) -> None:
        """Answer ``index`` went out (later ones of an earlier attempt no longer count)."""
        digest = _digest(signature)
        del self._local[index:]
        self._local.append(digest)
        if self._redis is None:
            return
        try:
            async with self._redis.pipeline(transaction=True) as pipe:
                if index:
                    pipe.ltrim(self._key, 0, index - 1)
                else:
                    pipe.delete(self._key)
                pipe.rpush(self._key, digest)
                pipe.expire(self._key, SENT_TTL)
                await pipe.execute()
        except RedisError as exc:
            log.warning("answer sent, not recorded for another node (%s)", type(exc).__name__)


class TurnReplies:
    """The answers each recent turn sent. The inbound pump tries a failed turn again (Redis failed over after the
    answers went out but before the tracker was saved, say), and another node runs the turns of a node that died:
    the retry's answers that an earlier attempt already sent, same place, same text, are not sent twice. Kept in
    this process (the last ``size`` turns) and in Redis (``SentAnswers``)."""

    def __init__(self, size: int = 1000) -> None:
        self._size = size
        self._turns: collections.OrderedDict[str, list[str]] = collections.OrderedDict()

    def of(self, sender_id: str, entries: list[dict[str, Any]], redis: aioredis.Redis | None = None) -> SentAnswers:
        """The record of one turn (its sender and journal entries, the same at every attempt, on every node)."""
        key = hashlib.sha256((sender_id + json.dumps(entries, sort_keys=True, default=str)).encode()).hexdigest()
        record = self._turns.pop(key, [])
        self._turns[key] = record
        while len(self._turns) > self._size:
            self._turns.popitem(last=False)
        return SentAnswers(record, redis, SENT_PREFIX + key[:40], is_requeued(entries))


async def turn_saved(redis: aioredis.Redis, sender_id: str, message_sid: str) -> bool:
    """Whether the conversation's stored tracker already holds the message ``message_sid``: a requeued turn whose
    first attempt (on a node that died before it could close the turn in the journal) saved it."""
    if not message_sid:
        return False
    raw = await redis.get(TRACKER_KEY.format(sender=sender_id))
    if raw is None:
        return False
    events = json.loads(raw).get("events") or []
    return any(
        event.get("event") == "user" and (event.get("metadata") or {}).get("message_sid") == message_sid
        for event in reversed(events)
    )


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
