"""Opaque conversation references (``r`` + 24 hex characters) and their index in Redis.

A reference is an HMAC of the sender id under a random key kept in Redis: stable across restarts and
consoles, and it reveals nothing. The hand-off store writes ``pimms:console:ref:<ref>`` -> sender id at every
transition, with the record's lifetime, so the console resolves a reference with one GET (never a SCAN on a
request path). ``pimms:console:ref-of:<sender>`` -> reference lets erasure find the index entry from the
sender id (``bot.privacy.keys.SENDER_POINTERS``).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

import redis.asyncio as aioredis

KEY = "pimms:console:ref-key"
INDEX_PREFIX = "pimms:console:ref:"
OF_PREFIX = "pimms:console:ref-of:"
REF_RE = re.compile(r"^r[0-9a-f]{24}$")


async def ref_key(redis: aioredis.Redis) -> bytes:
    """The HMAC key, created once per Redis database."""
    key = await redis.get(KEY)
    if key is None:
        await redis.set(KEY, secrets.token_hex(32), nx=True)
        key = await redis.get(KEY)
    return key if isinstance(key, bytes) else str(key).encode()


def conversation_ref(key: bytes, sender_id: str) -> str:
    """``r`` + 24 hex characters."""
    return "r" + hmac.new(key, sender_id.encode(), hashlib.sha256).hexdigest()[:24]


def index_key(ref: str) -> str:
    """Reference -> sender id."""
    return INDEX_PREFIX + ref


def of_key(sender_id: str) -> str:
    """Sender id -> reference (erasure reads it to delete the index entry)."""
    return OF_PREFIX + sender_id


async def remember(redis: aioredis.Redis, sender_id: str, ttl: int) -> str:
    """Write (or renew) both index keys of a conversation; returns its reference."""
    ref = conversation_ref(await ref_key(redis), sender_id)
    async with redis.pipeline(transaction=True) as pipe:
        pipe.set(index_key(ref), sender_id, ex=ttl)
        pipe.set(of_key(sender_id), ref, ex=ttl)
        await pipe.execute()
    return ref


async def lookup(redis: aioredis.Redis, ref: str) -> str | None:
    """The sender id of a reference, or None (malformed, unknown, expired or erased): one GET."""
    if not REF_RE.match(ref):
        return None
    raw = await redis.get(index_key(ref))
    return (raw.decode() if isinstance(raw, bytes) else str(raw)) if raw else None


async def backfill(redis: aioredis.Redis, conv_prefix: str) -> int:
    """Index the hand-off records written before the index existed (run once at console start-up, never
    on a request): each entry gets the record's remaining lifetime. Returns how many were added."""
    added = 0
    async for raw in redis.scan_iter(match=conv_prefix + "*", count=500):
        name = raw.decode() if isinstance(raw, bytes) else str(raw)
        sender_id = name[len(conv_prefix) :]
        ttl = int(await redis.ttl(name))
        if ttl > 0 and not await redis.exists(of_key(sender_id)):
            await remember(redis, sender_id, ttl)
            added += 1
    return added
