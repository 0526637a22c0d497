"""Activity of held conversations: Rasa's tracker store announces each save, the console's watcher reacts.

Rasa runs no action while a conversation is paused, so the console must learn about a waiting resident's new
messages from outside. Instead of polling every held tracker, the tracker store appends the conversation id
to one Redis stream whenever it saves a held conversation; the watcher blocks on ``XREAD`` and fetches only
the trackers that changed. A silent waiting resident costs nothing.

The stream holds conversation ids only (no text), is capped (``MAXLEN ~``) and expires after a day without
activity.
"""

from __future__ import annotations

from typing import Any, Protocol

from bot.handoff.models import State
from bot.handoff.store import PREFIX

ACTIVITY_STREAM = PREFIX + "activity"
STREAM_MAXLEN = 10_000
STREAM_TTL_SECONDS = 24 * 3600
HELD_SLOT_VALUES = frozenset({State.WAITING.value, State.WITH_MEDIATOR.value})


class SyncPipeline(Protocol):
    """The part of a synchronous redis-py pipeline used here."""

    def xadd(self, name: str, fields: dict[str, str], maxlen: int, approximate: bool) -> Any: ...
    def expire(self, name: str, time: int) -> Any: ...
    def execute(self) -> Any: ...


class SyncRedis(Protocol):
    """A synchronous redis-py client (Rasa's tracker store uses one)."""

    def pipeline(self, transaction: bool = ...) -> SyncPipeline: ...


def is_held(paused: bool, handoff_state: object) -> bool:
    """Whether a saved conversation is held for a mediator (paused, or its hand-off slot says so)."""
    return paused or handoff_state in HELD_SLOT_VALUES


def announce(redis: SyncRedis, sender_id: str) -> None:
    """Append one activity entry (one round trip); raises redis errors to the caller."""
    pipe = redis.pipeline(transaction=False)
    pipe.xadd(ACTIVITY_STREAM, {"sender_id": sender_id}, maxlen=STREAM_MAXLEN, approximate=True)
    pipe.expire(ACTIVITY_STREAM, STREAM_TTL_SECONDS)
    pipe.execute()


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


async def latest_id(redis: Any) -> str:
    """The id of the newest entry ("0-0" when the stream is empty): reading starts after it."""
    newest = await redis.xrevrange(ACTIVITY_STREAM, count=1)
    return _text(newest[0][0]) if newest else "0-0"


async def wait_for_activity(redis: Any, after: str, block_ms: int) -> tuple[str, list[str]]:
    """Block until entries newer than ``after`` arrive (or ``block_ms`` passes).

    Returns the new position and the conversation ids, each once, oldest first.
    """
    answer = await redis.xread({ACTIVITY_STREAM: after}, count=500, block=block_ms)
    senders: list[str] = []
    for _stream, entries in answer or []:
        for entry_id, fields in entries:
            after = _text(entry_id)
            sender = fields.get(b"sender_id", fields.get("sender_id"))
            if sender is not None and _text(sender) not in senders:
                senders.append(_text(sender))
    return after, senders


async def erase(redis: Any, sender_id: str) -> int:
    """Remove one person's entries from the stream (privacy erasure); how many were removed."""
    doomed = [
        entry_id
        for entry_id, fields in await redis.xrange(ACTIVITY_STREAM)
        if _text(fields.get(b"sender_id", fields.get("sender_id", b""))) == sender_id
    ]
    return int(await redis.xdel(ACTIVITY_STREAM, *doomed)) if doomed else 0
