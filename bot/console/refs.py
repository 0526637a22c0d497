"""Opaque conversation references in console URLs and JSON: the sender id (a phone number, a chat id)
never appears in an address bar, a proxy log or a browser history.

The middleware maps ``/c/<ref>`` back to the sender id with one GET of the index the hand-off store keeps
(``bot.handoff.refs``), and only for a logged-in mediator: a stranger's request costs no lookup at all, and no
request ever makes the console scan the keyspace.

A raw sender id in the path ("recherche par numéro") is accepted from a supervisor for any conversation, from
a mediator only for one in the queue or followed by a mediator (the queue page shows these to every mediator
anyway); each such request is recorded in the access log as a lookup by number.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import redis.asyncio as aioredis
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from bot.console.access import record
from bot.console.auth import SESSION_COOKIE
from bot.console.errors import refused
from bot.console.roles import is_supervisor
from bot.handoff.refs import KEY, REF_RE, conversation_ref, lookup, ref_key
from bot.handoff.store import HELD_KEY, QUEUE_KEY

__all__ = ["KEY", "REF_RE", "ConversationRefs", "conversation_ref", "ref_key", "resolve"]

PATH_RE = re.compile(r"^(/(?:api/|events/)?c/)([^/]+)(/.*)?$")
SCOPE_KEY = "pimms_ref"


async def resolve(redis: aioredis.Redis, ref: str) -> str | None:
    """The sender id of a hand-off whose reference is ``ref``, or None (one GET, never a SCAN)."""
    return await lookup(redis, ref)


async def _in_progress(redis: aioredis.Redis, sender_id: str) -> bool:
    """Whether the conversation is in the queue or followed by a mediator (visible on the queue page)."""
    return await redis.zscore(QUEUE_KEY, sender_id) is not None or bool(await redis.sismember(HELD_KEY, sender_id))


class ConversationRefs:
    """ASGI middleware: ``/c/<ref>…`` is served as ``/c/<sender id>…`` for a logged-in mediator (an unknown
    reference is a 404); requests without a session go on untouched, to the handlers' login check."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        match = PATH_RE.match(scope.get("path", "")) if scope["type"] == "http" else None
        if match is None:
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        deps = scope["app"].state.deps
        session = await deps.sessions.load(request.cookies.get(SESSION_COOKIE))
        if session is None:  # no lookup for strangers: the handler answers 401 or the login page
            await self.app(scope, receive, send)
            return
        ref = match.group(2)
        if not REF_RE.match(ref):  # a raw sender id: a lookup by number
            if not await is_supervisor(request, session.name) and not await _in_progress(deps.redis, ref):
                refusal = refused(request, "recherche par numéro réservée aux superviseurs", 403, session)
                await refusal(scope, receive, send)
                return
            await record(request, session.name, "lookup", ref)
            await self.app(scope, receive, send)
            return
        sender_id = await lookup(deps.redis, ref)
        if sender_id is None:
            missing = refused(request, "conversation introuvable (effacée, ou lien trop ancien)", 404, session)
            await missing(scope, receive, send)
            return
        rest = match.group(3) or ""
        path = match.group(1) + sender_id + rest
        raw_path = (match.group(1) + quote(sender_id, safe="") + quote(rest)).encode()
        await self.app({**scope, "path": path, "raw_path": raw_path, SCOPE_KEY: ref}, receive, send)
