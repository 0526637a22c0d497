"""A fair (FIFO), atomic, expiring lock per conversation in Redis, shared by every process and machine.

Each conversation has a queue of tickets (a Redis list); the ticket at its head holds the lock. Every change
is one Lua script, so taking a place, checking the head and handing over are atomic across processes.

- Fair: tickets are served in the order Redis queued them.
- No polling: a waiter blocks on its own wake-up list (``BLPOP``); the holder pushes to the next live
  ticket's list when it releases. A waiter also wakes when the head's liveness key is due to expire, so a
  holder that died (crash, kill -9) blocks the others for at most its lifetime, never forever.
- Expiring: every ticket has a liveness key with a TTL; a holder gets ``lifetime`` seconds from the moment it
  acquires, a waiter keeps its key alive while it waits. Dead tickets are skipped.

Keys share a hash tag per conversation (``{id}``) so a Redis Cluster keeps them on one node.
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import redis.asyncio as aioredis
from redis.exceptions import RedisError

# Removes dead tickets from the head of the queue; returns the live head (or false) and its TTL in ms.
_PROMOTE = """
local function live_head(q, base)
  while true do
    local head = redis.call('LINDEX', q, 0)
    if not head then return nil, 0 end
    local ttl = redis.call('PTTL', base .. 't:' .. head)
    if ttl ~= -2 then return head, ttl end
    redis.call('LPOP', q)
  end
end
"""

# KEYS[1] queue; ARGV: base, ticket, waiter TTL ms, holder TTL ms, enqueue (1/0).
# Returns {1, 0} when the ticket holds the lock, {0, head TTL ms} when it must wait, {-1, 0} when lost.
_ACQUIRE = (
    _PROMOTE
    + """
local q, base, ticket = KEYS[1], ARGV[1], ARGV[2]
local tkey = base .. 't:' .. ticket
if ARGV[5] == '1' then
  redis.call('RPUSH', q, ticket)
elseif redis.call('EXISTS', tkey) == 0 then
  redis.call('LREM', q, 0, ticket)
  return {-1, 0}
end
redis.call('SET', tkey, '1', 'PX', ARGV[3])
redis.call('PEXPIRE', q, ARGV[3])
local head, ttl = live_head(q, base)
if head == ticket then
  redis.call('SET', tkey, '1', 'PX', ARGV[4])
  return {1, 0}
end
return {0, ttl}
"""
)

# KEYS[1] queue; ARGV: base, ticket, wake-list TTL ms. Leaves the queue and wakes the next live ticket.
_RELEASE = (
    _PROMOTE
    + """
local q, base, ticket = KEYS[1], ARGV[1], ARGV[2]
local was_head = redis.call('LINDEX', q, 0) == ticket
redis.call('LREM', q, 0, ticket)
redis.call('DEL', base .. 't:' .. ticket, base .. 'w:' .. ticket)
if was_head then
  local head = live_head(q, base)
  if head then
    redis.call('RPUSH', base .. 'w:' .. head, '1')
    redis.call('PEXPIRE', base .. 'w:' .. head, ARGV[3])
  end
end
return 1
"""
)


class LockUnavailable(Exception):
    """The lock could not be acquired (Redis error, or the ticket expired while waiting)."""


class FifoLock:
    """Ticket queues in Redis; ``hold(name)`` is an async context manager around the critical section."""

    def __init__(self, redis: aioredis.Redis, prefix: str = "pimmslock:", lifetime: float = 60.0) -> None:
        self.redis = redis
        self.prefix = prefix
        self.lifetime = lifetime
        self._acquire = redis.register_script(_ACQUIRE)
        self._release = redis.register_script(_RELEASE)

    def base(self, name: str) -> str:
        """Common prefix of one conversation's keys (hash-tagged)."""
        return f"{self.prefix}{{{name}}}:"

    def queue_key(self, name: str) -> str:
        """The ticket queue of one conversation."""
        return self.base(name) + "q"

    async def acquire(self, name: str, lifetime: float | None = None) -> str:
        """Queue a ticket and return it once it heads the queue (raises LockUnavailable)."""
        lifetime = lifetime or self.lifetime
        holder_ms = int(lifetime * 1000)
        waiter_ms = 2 * holder_ms  # outlives any single wait below, which is capped at ``lifetime``
        ticket = secrets.token_hex(8)
        base, queue = self.base(name), self.queue_key(name)
        enqueue = "1"
        try:
            while True:
                held, head_ttl = await self._acquire(keys=[queue], args=[base, ticket, waiter_ms, holder_ms, enqueue])
                enqueue = "0"
                if int(held) == 1:
                    return ticket
                if int(held) == -1:
                    raise LockUnavailable("the ticket expired while waiting")
                # Wake when the holder hands over, or when its liveness key is due to expire.
                wait_ms = holder_ms if int(head_ttl) < 0 else min(int(head_ttl) + 5, holder_ms)
                await self.redis.blpop([base + "w:" + ticket], timeout=max(wait_ms, 10) / 1000)
        except BaseException as exc:
            await self.leave(name, ticket)
            if isinstance(exc, RedisError):
                raise LockUnavailable(f"Redis error: {type(exc).__name__}") from exc
            raise

    async def release(self, name: str, ticket: str) -> None:
        """Leave the queue and wake the next live ticket."""
        await self._release(keys=[self.queue_key(name)], args=[self.base(name), ticket, int(self.lifetime * 1000)])

    async def leave(self, name: str, ticket: str) -> None:
        """Best-effort release after a failure or a cancellation (the TTLs clean up otherwise)."""
        try:
            await self.release(name, ticket)
        except (RedisError, OSError):
            pass

    @asynccontextmanager
    async def hold(self, name: str, lifetime: float | None = None) -> AsyncIterator[str]:
        """Hold the lock of ``name`` for the duration of the block."""
        ticket = await self.acquire(name, lifetime)
        try:
            yield ticket
        finally:
            await self.leave(name, ticket)
