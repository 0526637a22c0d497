"""Hand-off state in Redis: atomic transitions, the urgency-then-age queue, notes and change notifications."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

import redis.asyncio as aioredis
from redis.exceptions import WatchError

from bot.handoff.models import Handoff, Reason, State, Transition, TransitionError
from bot.handoff.refs import conversation_ref, index_key, of_key, ref_key
from bot.identity import channel_of

PREFIX = "pimms:handoff:"
QUEUE_KEY = PREFIX + "queue"
HELD_KEY = PREFIX + "held"
EVENTS_CHANNEL = PREFIX + "events"
RECORD_TTL = 90 * 24 * 3600
URGENT_OFFSET = 0.0
NORMAL_OFFSET = 1e10  # epoch seconds stay far below this: every urgent entry sorts first

Clock = Callable[[], float]


def conv_key(sender_id: str) -> str:
    """Redis key of one conversation's hand-off record."""
    return f"{PREFIX}conv:{sender_id}"


def notes_key(sender_id: str) -> str:
    """Redis key of one conversation's internal notes."""
    return f"{PREFIX}notes:{sender_id}"


def queue_score(record: Handoff) -> float:
    """Urgent first, then the longest waiting."""
    return (URGENT_OFFSET if record.urgent else NORMAL_OFFSET) + record.requested_at


class HandoffStore:
    """All hand-off state transitions; each one is atomic (WATCH/MULTI) and recorded with time and actor."""

    def __init__(self, redis: aioredis.Redis, clock: Clock = time.time, ttl: int = RECORD_TTL) -> None:
        self.redis = redis
        self.clock = clock
        self.ttl = ttl

    async def get(self, sender_id: str) -> Handoff | None:
        """The record of a conversation, or None when it never was handed off."""
        raw = await self.redis.get(conv_key(sender_id))
        return Handoff.from_json(raw) if raw else None

    async def state_of(self, sender_id: str) -> State:
        """The current state (``bot`` when no record)."""
        record = await self.get(sender_id)
        return record.state if record else State.BOT

    async def queue(self) -> list[Handoff]:
        """Waiting conversations, urgent first then by waiting time."""
        ids = [i.decode() if isinstance(i, bytes) else i for i in await self.redis.zrange(QUEUE_KEY, 0, -1)]
        records = [await self.get(sid) for sid in ids]
        expired = [sid for sid, r in zip(ids, records, strict=True) if r is None]
        if expired:  # the record expired (retention): the index must not keep the sender id
            await self.redis.zrem(QUEUE_KEY, *expired)
        return [r for r in records if r is not None and r.state == State.WAITING]

    async def position(self, sender_id: str) -> int | None:
        """1-based place in the queue, None when not waiting."""
        rank = await self.redis.zrank(QUEUE_KEY, sender_id)
        return None if rank is None else int(rank) + 1

    async def held(self) -> list[Handoff]:
        """Conversations the assistant must not answer, plus those whose resume is still pending."""
        ids = sorted(i.decode() if isinstance(i, bytes) else i for i in await self.redis.smembers(HELD_KEY))
        records = [await self.get(sid) for sid in ids]
        expired = [sid for sid, r in zip(ids, records, strict=True) if r is None]
        if expired:  # the record expired (retention): the index must not keep the sender id
            await self.redis.srem(HELD_KEY, *expired)
        return [r for r in records if r is not None]

    async def with_mediators(self) -> list[Handoff]:
        """Conversations currently held by a mediator."""
        return [r for r in await self.held() if r.state == State.WITH_MEDIATOR]

    # --- transitions ---------------------------------------------------------------------------------
    async def request(
        self,
        sender_id: str,
        *,
        reason: Reason = Reason.REQUEST,
        urgent: bool = False,
        actor: str = "assistant",
    ) -> Handoff:
        """Queue a conversation; a repeated request keeps its place (an urgent one moves it up)."""

        def apply(record: Handoff) -> Handoff:
            if record.state == State.WITH_MEDIATOR:
                if urgent and not record.urgent:
                    record.urgent = True
                    self._log(record, actor, "escalate", "urgent")
                return record
            if record.state == State.WAITING:
                if urgent and not record.urgent:
                    record.urgent, record.reason = True, Reason.URGENT
                    self._log(record, actor, "escalate", "urgent")
                return record
            record.state, record.urgent, record.reason = State.WAITING, urgent, reason
            record.requested_at, record.mediator = self.clock(), ""
            record.channel = channel_of(sender_id)
            self._log(record, actor, "request", reason.value)
            return record

        return await self._transition(sender_id, apply, "queue")

    async def claim(self, sender_id: str, mediator: str) -> Handoff:
        """Take a waiting conversation; only one mediator can (TransitionError for the others)."""

        def apply(record: Handoff) -> Handoff:
            if record.state == State.WITH_MEDIATOR:
                raise TransitionError(f"déjà pris en charge par {record.mediator}")
            if record.state != State.WAITING:
                raise TransitionError("cette personne n'attend plus")
            record.state, record.mediator = State.WITH_MEDIATOR, mediator
            self._log(record, mediator, "claim")
            return record

        return await self._transition(sender_id, apply, "queue")

    async def take_over(self, sender_id: str, supervisor: str) -> Handoff:
        """A supervisor takes a waiting conversation or one held by anybody (absent, deleted account)."""

        def apply(record: Handoff) -> Handoff:
            if record.state not in (State.WAITING, State.WITH_MEDIATOR):
                raise TransitionError("cette conversation n'est pas en cours")
            if record.state == State.WITH_MEDIATOR and record.mediator == supervisor:
                raise TransitionError("vous suivez déjà cette conversation")
            previous = record.mediator if record.state == State.WITH_MEDIATOR else ""
            record.state, record.mediator = State.WITH_MEDIATOR, supervisor
            self._log(record, supervisor, "take_over", previous)
            return record

        return await self._transition(sender_id, apply, "queue")

    async def transfer(self, sender_id: str, mediator: str, to_mediator: str, *, supervisor: bool = False) -> Handoff:
        """Pass a conversation held by ``mediator`` (by anybody, for a supervisor) to ``to_mediator``."""

        def apply(record: Handoff) -> Handoff:
            self._require_holder(record, mediator, supervisor)
            if to_mediator == record.mediator:
                raise TransitionError(f"{to_mediator} suit déjà cette conversation")
            record.mediator = to_mediator
            self._log(record, mediator, "transfer", to_mediator)
            return record

        return await self._transition(sender_id, apply, "conversation")

    async def hand_back(self, sender_id: str, mediator: str, *, supervisor: bool = False) -> Handoff:
        """Give the conversation back to the assistant (the Rasa resume is then pending)."""

        def apply(record: Handoff) -> Handoff:
            self._require_holder(record, mediator, supervisor)
            record.state, record.resume_pending = State.BOT, True
            self._log(record, mediator, "hand_back")
            return record

        return await self._transition(sender_id, apply, "queue")

    async def cancel(self, sender_id: str, actor: str = "resident") -> Handoff:
        """The resident stops waiting ("annuler") before a mediator claimed the conversation."""

        def apply(record: Handoff) -> Handoff:
            if record.state != State.WAITING:
                raise TransitionError("cette personne n'attend pas")
            record.state, record.resume_pending = State.BOT, True
            self._log(record, actor, "cancel")
            return record

        return await self._transition(sender_id, apply, "queue")

    async def requeue(self, sender_id: str, mediator: str, actor: str = "system") -> Handoff:
        """Put a conversation ``mediator`` still holds back in the queue, at its first place (inactivity)."""

        def apply(record: Handoff) -> Handoff:
            if record.state != State.WITH_MEDIATOR or record.mediator != mediator:
                raise TransitionError("cette conversation n'est plus suivie par ce médiateur")
            record.state, record.mediator = State.WAITING, ""
            self._log(record, actor, "requeue", mediator)
            return record

        return await self._transition(sender_id, apply, "queue")

    async def close(
        self, sender_id: str, mediator: str, *, supervisor: bool = False, claimed_only: bool = False
    ) -> Handoff:
        """End the hand-off (waiting or held; any, for a supervisor); the assistant answers the next message.

        ``claimed_only``: a waiting conversation cannot be closed (the console's mediators claim it first).
        """

        def apply(record: Handoff) -> Handoff:
            if record.state not in (State.WAITING, State.WITH_MEDIATOR):
                raise TransitionError("cette conversation n'est pas en cours")
            if record.state == State.WAITING and claimed_only and not supervisor:
                raise TransitionError("prenez d'abord cette conversation en charge")
            if record.state == State.WITH_MEDIATOR and record.mediator != mediator and not supervisor:
                raise TransitionError(f"conversation suivie par {record.mediator}")
            record.state, record.resume_pending = State.CLOSED, True
            self._log(record, mediator, "close")
            return record

        return await self._transition(sender_id, apply, "queue")

    async def mark_resumed(self, sender_id: str) -> Handoff:
        """Rasa has resumed the conversation: nothing left to do for it."""

        def apply(record: Handoff) -> Handoff:
            if record.resume_pending and not record.held:
                record.resume_pending = False
                self._log(record, "console", "resumed")
            return record

        return await self._transition(sender_id, apply, "conversation")

    # --- notes and notifications ---------------------------------------------------------------------
    async def add_note(self, sender_id: str, mediator: str, text: str) -> None:
        """An internal note (never sent to the resident)."""
        note = {"at": self._now_iso(), "mediator": mediator, "text": text}
        await self.redis.rpush(notes_key(sender_id), json.dumps(note, ensure_ascii=False))
        await self.redis.expire(notes_key(sender_id), self.ttl)
        await self.publish("note", sender_id)

    async def notes(self, sender_id: str) -> list[dict[str, str]]:
        """Internal notes, oldest first."""
        return [json.loads(raw) for raw in await self.redis.lrange(notes_key(sender_id), 0, -1)]

    async def publish(self, kind: str, sender_id: str, **extra: Any) -> None:
        """Tell the consoles that something changed (queue, conversation, message)."""
        payload = {"type": kind, "sender_id": sender_id, **extra}
        await self.redis.publish(EVENTS_CHANNEL, json.dumps(payload, ensure_ascii=False))

    # --- internals -----------------------------------------------------------------------------------
    @staticmethod
    def _require_holder(record: Handoff, mediator: str, supervisor: bool = False) -> None:
        if record.state != State.WITH_MEDIATOR:
            raise TransitionError("cette conversation n'est pas avec un médiateur")
        if record.mediator != mediator and not supervisor:
            raise TransitionError(f"conversation suivie par {record.mediator}")

    def _now_iso(self) -> str:
        return datetime.fromtimestamp(self.clock(), tz=timezone.utc).isoformat(timespec="seconds")

    def _log(self, record: Handoff, actor: str, action: str, detail: str = "") -> None:
        record.history.append(Transition(self._now_iso(), actor, action, record.state, detail))

    async def _transition(self, sender_id: str, apply: Callable[[Handoff], Handoff], kind: str) -> Handoff:
        key = conv_key(sender_id)
        ref = conversation_ref(await ref_key(self.redis), sender_id)
        async with self.redis.pipeline(transaction=True) as pipe:
            while True:
                try:
                    await pipe.watch(key)
                    raw = await pipe.get(key)
                    record = Handoff.from_json(raw) if raw else Handoff(sender_id=sender_id)
                    before = record.to_json()
                    record = apply(record)
                    if record.to_json() == before:
                        await pipe.unwatch()
                        return record
                    pipe.multi()
                    pipe.set(key, record.to_json(), ex=self.ttl)
                    # the console's reference index lives exactly as long as the record (bot/handoff/refs.py)
                    pipe.set(index_key(ref), sender_id, ex=self.ttl)
                    pipe.set(of_key(sender_id), ref, ex=self.ttl)
                    if record.state == State.WAITING:
                        pipe.zadd(QUEUE_KEY, {sender_id: queue_score(record)})
                    else:
                        pipe.zrem(QUEUE_KEY, sender_id)
                    if record.held or record.resume_pending:
                        pipe.sadd(HELD_KEY, sender_id)
                    else:
                        pipe.srem(HELD_KEY, sender_id)
                    await pipe.execute()
                    break
                except WatchError:
                    continue
        await self.publish(kind, sender_id, state=record.state.value, mediator=record.mediator)
        return record
