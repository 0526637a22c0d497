"""Opaque conversation references for console URLs and JSON: the sender id (a phone number, a chat id)
never appears in an address bar, a proxy log or a browser history.

A reference is an HMAC of the sender id under a random key kept in Redis, so it is stable across
restarts and consoles but reveals nothing; the middleware maps ``/c/<ref>`` back to the sender id
(searching the hand-off records, which are the only conversations the console shows).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from urllib.parse import quote

import redis.asyncio as aioredis
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from bot.handoff.store import PREFIX, conv_key

KEY = "pimms:console:ref-key"
REF_RE = re.compile(r"^r[0-9a-f]{24}$")
PATH_RE = re.compile(r"^(/(?:api/|events/)?c/)([^/]+)(/.*)?$")
SCOPE_KEY = "pimms_ref"


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


async def resolve(redis: aioredis.Redis, ref: str) -> str | None:
    """The sender id of a hand-off whose reference is ``ref``, or None."""
    if not REF_RE.match(ref):
        return None
    key = await ref_key(redis)
    prefix = conv_key("")
    async for raw in redis.scan_iter(match=f"{PREFIX}conv:*", count=500):
        name = raw.decode() if isinstance(raw, bytes) else str(raw)
        sender_id = name[len(prefix) :]
        if hmac.compare_digest(conversation_ref(key, sender_id), ref):
            return sender_id
    return None


class ConversationRefs:
    """ASGI middleware: ``/c/<ref>…`` is served as ``/c/<sender id>…`` (an unknown reference is a 404).

    The console only ever emits references (pages, JSON, redirects); a raw sender id in the path still
    works for API clients, behind the same login.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.cache: dict[str, str] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        match = PATH_RE.match(scope.get("path", "")) if scope["type"] == "http" else None
        if match is None:
            await self.app(scope, receive, send)
            return
        ref = match.group(2)
        if not REF_RE.match(ref):  # a sender id given directly (API clients): served as before
            await self.app(scope, receive, send)
            return
        sender_id = self.cache.get(ref)
        if sender_id is None:
            sender_id = await resolve(scope["app"].state.deps.redis, ref)
            if sender_id is not None and len(self.cache) < 10_000:
                self.cache[ref] = sender_id
        if sender_id is None:
            await JSONResponse({"error": "inconnu"}, status_code=404)(scope, receive, send)
            return
        rest = match.group(3) or ""
        path = match.group(1) + sender_id + rest
        raw_path = (match.group(1) + quote(sender_id, safe="") + quote(rest)).encode()
        await self.app({**scope, "path": path, "raw_path": raw_path, SCOPE_KEY: ref}, receive, send)
