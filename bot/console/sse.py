"""Server-sent events: the queue and the open conversation update without reloading."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from bot.console.access import record
from bot.console.auth import Session
from bot.console.routes import api, conversation_snapshot, deps
from bot.console.views import queue_view
from bot.handoff.store import EVENTS_CHANNEL

KEEPALIVE_SECONDS = 15.0


def event(name: str, data: Any) -> str:
    """One SSE frame (JSON data on one line)."""
    return f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


async def _stream(
    request: Request,
    name: str,
    snapshot: Callable[[], Awaitable[Any]],
    wanted: Callable[[dict[str, Any]], bool],
    session: Session | None = None,
) -> AsyncIterator[str]:
    sessions = deps(request).sessions
    pubsub = deps(request).redis.pubsub()
    await pubsub.subscribe(EVENTS_CHANNEL)
    try:
        yield event(name, await snapshot())
        idle = 0.0
        while True:
            message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=1.0)
            if session is not None and not await sessions.valid(session):
                yield event("logout", {})  # logged out, password changed or account deleted: the stream ends
                return
            if message is None:
                idle += 1.0
                if idle >= KEEPALIVE_SECONDS:
                    idle = 0.0
                    yield ": keep-alive\n\n"
                await asyncio.sleep(0)
                continue
            if wanted(json.loads(message["data"])):
                yield event(name, await snapshot())
    finally:
        await pubsub.unsubscribe(EVENTS_CHANNEL)
        await pubsub.reset()


def _response(stream: AsyncIterator[str]) -> Response:
    return StreamingResponse(
        stream, media_type="text/event-stream", headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
    )


@api
async def queue_events(request: Request, session: Session) -> Response:
    """GET /events/queue: a fresh queue at every change."""
    service = deps(request).service
    return _response(
        _stream(
            request,
            "queue",
            lambda: queue_view(service, session.name),
            lambda m: m.get("type") in {"queue", "conversation"},
            session,
        )
    )


@api
async def conversation_events(request: Request, session: Session) -> Response:
    """GET /events/c/{sender_id}: the conversation at every message, note or state change."""
    sender_id = request.path_params["sender_id"]
    await record(request, session.name, "stream", sender_id)  # a transcript read, like the page
    return _response(
        _stream(
            request,
            "conversation",
            lambda: conversation_snapshot(request, sender_id),
            lambda m: m.get("sender_id") == sender_id,
            session,
        )
    )
