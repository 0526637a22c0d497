"""Opaque links to a conversation: a random token in the URL, resolved to the sender id through Redis.

A phone number or chat id never appears in a link (alerts, console URLs). The token expires with the
hand-off record and erasure finds it from the sender id (``pimms:handoff:link-of:<sender>``).
"""

from __future__ import annotations

import secrets

import redis.asyncio as aioredis

from bot.handoff.store import PREFIX, RECORD_TTL

TOKEN_BYTES = 12


def token_key(token: str) -> str:
    """Token -> sender id."""
    return f"{PREFIX}link:{token}"


def sender_key(sender_id: str) -> str:
    """Sender id -> token (so that one resident keeps one link)."""
    return f"{PREFIX}link-of:{sender_id}"


async def link_token(redis: aioredis.Redis, sender_id: str, ttl: int = RECORD_TTL) -> str:
    """The conversation's token (created on first use; both keys' lifetimes renewed)."""
    raw = await redis.get(sender_key(sender_id))
    token = (raw.decode() if isinstance(raw, bytes) else str(raw)) if raw else secrets.token_urlsafe(TOKEN_BYTES)
    async with redis.pipeline(transaction=True) as pipe:
        pipe.set(sender_key(sender_id), token, ex=ttl)
        pipe.set(token_key(token), sender_id, ex=ttl)
        await pipe.execute()
    return token


async def resolve_token(redis: aioredis.Redis, token: str) -> str | None:
    """The sender id behind a token, or None (unknown or expired)."""
    if not token or len(token) > 64:
        return None
    raw = await redis.get(token_key(token))
    return (raw.decode() if isinstance(raw, bytes) else str(raw)) if raw else None
