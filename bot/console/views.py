"""Data the console shows: queue rows and a conversation's transcript, as plain JSON-able dicts."""

from __future__ import annotations

import time
from typing import Any

from bot.console.refs import conversation_ref, ref_key
from bot.console.triage import conversation_extras, enrich
from bot.handoff.models import Handoff
from bot.handoff.rasa_api import RasaApiError, dialogue_events
from bot.handoff.service import HandoffService
from bot.identity import kind_of, masked


def waited_label(seconds: float) -> str:
    """``2 min``, ``1 h 05``."""
    minutes = max(0, int(seconds // 60))
    return f"{minutes} min" if minutes < 60 else f"{minutes // 60} h {minutes % 60:02d}"


def row(record: Handoff, now: float | None = None) -> dict[str, Any]:
    """One queue or conversation row."""
    now = time.time() if now is None else now
    return {
        "sender_id": record.sender_id,
        "label": masked(record.sender_id),  # how mediators see a resident: phone numbers and chat ids masked
        "channel": kind_of(record.sender_id).label,
        "urgent": record.urgent,
        "reason": record.reason.value,
        "state": record.state.value,
        "mediator": record.mediator,
        "requested_at": record.requested_at,
        "waited": waited_label(now - record.requested_at),
    }


async def queue_view(service: HandoffService, mediator: str) -> dict[str, Any]:
    """The queue, my conversations and my colleagues' conversations."""
    now = service.store.clock()
    queue = await enrich(service.store.redis, [row(r, now) for r in await service.store.queue()], now, service.tz)
    held = await service.store.with_mediators()
    key = await ref_key(service.store.redis)
    redis, tz = service.store.redis, service.tz
    # Held conversations get the same why, theme, preview and "il y a …" as the queue.
    mine = await enrich(redis, [row(r, now) for r in held if r.mediator == mediator], now, tz)
    others = await enrich(redis, [row(r, now) for r in held if r.mediator != mediator], now, tz)
    return {"queue": opaque(queue, key), "mine": opaque(mine, key), "others": opaque(others, key)}


def opaque(rows: list[dict[str, Any]], key: bytes) -> list[dict[str, Any]]:
    """Each row's sender id replaced by its opaque reference (bot/console/refs.py): the phone number or chat
    id never leaves the server, in URLs or JSON."""
    for item in rows:
        item["sender_id"] = conversation_ref(key, item["sender_id"])
    return rows


async def conversation_view(service: HandoffService, sender_id: str) -> dict[str, Any] | None:
    """State, transcript and notes of one conversation (None when it was never handed off)."""
    record = await service.store.get(sender_id)
    if record is None:
        return None
    try:
        lines, error = dialogue_events(await service.rasa.tracker(sender_id)), ""
    except RasaApiError as exc:
        lines, error = [], f"Historique indisponible ({exc})."
    deliveries = await service.deliveries.all(sender_id)
    for line in lines:
        result = deliveries.get(line.pop("delivery_id", ""))
        if result is not None:
            line["delivery"] = {"status": result.status.value, "label": result.label()}
    now = service.store.clock()
    view = {
        **row(record, now),
        "position": await service.store.position(sender_id),
        "lines": lines,
        "notes": await service.store.notes(sender_id),
        "history": [{"at": t.at, "actor": t.actor, "action": t.action, "detail": t.detail} for t in record.history],
        "error": error,
    }
    await conversation_extras(service.store.redis, view, now, service.tz)
    return opaque([view], await ref_key(service.store.redis))[0]
