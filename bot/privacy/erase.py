"""Erase everything held about one sender, except the opt-out (which protects them)."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

import redis.asyncio as aioredis

from bot import redis_connect
from bot.booking.models import Booking, BookingNotFound
from bot.booking.store import BookingStore
from bot.handoff import activity as handoff_activity
from bot.handoff.store import EVENTS_CHANNEL
from bot.identity import kind_of
from bot.inbound.journal import InboundJournal
from bot.optout import OptOutStore
from bot.outbound.dead_letters import DeadLetters
from bot.outbound.status import SmsStatusIndex
from bot.privacy.keys import SENDER, SENDER_MEMBERS, SENDER_POINTERS, sender_keys

log = logging.getLogger(__name__)


class BookingCanceller(Protocol):
    """``bot.booking.service.BookingService.cancel``: frees the slot and unschedules the reminder."""

    async def cancel(self, user: str, ref: str) -> Booking:
        """Cancel one active booking of this user."""


@dataclass
class ErasureReport:
    """What was removed (counts only: the report itself holds nothing about the person)."""

    keys_deleted: int = 0
    bookings_cancelled: list[Booking] = field(default_factory=list)
    upcoming_cancelled: int = 0
    bookings_deleted: int = 0
    opted_out: bool = False


class Eraser:
    """Deletes a sender's keys, cancels their bookings through the booking service, leaves the opt-out."""

    def __init__(
        self, redis: aioredis.Redis, store: BookingStore, bookings: BookingCanceller, now: Callable[[], datetime]
    ) -> None:
        self.redis = redis
        self.store = store
        self.bookings = bookings
        self.now = now

    async def erase(self, sender_id: str) -> ErasureReport:
        """Erase now; safe to run twice (the second run finds nothing)."""
        report = ErasureReport()
        # First out of the shared indexes: the consoles' watcher stops looking at the conversation.
        for member in SENDER_MEMBERS:
            if member.kind == "zset":
                await self.redis.zrem(member.key, sender_id)
            elif member.kind == "set":
                await self.redis.srem(member.key, sender_id)
            else:
                await self.redis.hdel(member.key, sender_id)
        for pointer in SENDER_POINTERS:
            value = await self.redis.get(pointer.pointer.replace(SENDER, sender_id))
            if value:
                target = pointer.target.replace("{value}", value.decode() if isinstance(value, bytes) else value)
                report.keys_deleted += int(await self.redis.delete(target))
        await self._erase_bookings(sender_id, report)
        kind = kind_of(sender_id)
        if kind.journalled:  # messages accepted and not yet processed: never answered after the erasure
            await InboundJournal(self.redis, kind.name, "erasure").discard(sender_id)
        report.keys_deleted += await DeadLetters(self.redis).erase(sender_id)  # entries of a shared list
        report.keys_deleted += await SmsStatusIndex(self.redis).erase(sender_id)  # SMS awaiting their status
        report.keys_deleted += await handoff_activity.erase(self.redis, sender_id)  # entries of a shared stream
        for spec in sender_keys():
            key = spec.for_sender(sender_id)
            if spec.is_glob:
                found = [k async for k in self.redis.scan_iter(match=key, count=500)]
                report.keys_deleted += int(await self.redis.delete(*found)) if found else 0
            else:
                report.keys_deleted += int(await self.redis.delete(key))
        report.opted_out = await OptOutStore(self.redis).is_opted_out(sender_id)
        payload = {"type": "queue", "sender_id": sender_id, "erased": True}
        await self.redis.publish(EVENTS_CHANNEL, json.dumps(payload))  # consoles drop the conversation
        await redis_connect.replicated(self.redis, "erasure")
        log.info("erased %d keys and %d bookings of one sender", report.keys_deleted, report.bookings_deleted)
        return report

    async def sweep(self, sender_id: str) -> None:
        """Delete the keys re-created after :meth:`erase`: the reply's counters and buttons, or a tracker that
        a request already in flight (a console reading the conversation) made Rasa save again."""
        for spec in sender_keys():
            key = spec.for_sender(sender_id)
            found = [k async for k in self.redis.scan_iter(match=key, count=500)] if spec.is_glob else [key]
            if found:
                await self.redis.delete(*found)

    async def _erase_bookings(self, sender_id: str, report: ErasureReport) -> None:
        for booking in await self.store.all_for_user(sender_id):
            if booking.active:
                try:
                    report.bookings_cancelled.append(await self.bookings.cancel(sender_id, booking.ref))
                    report.upcoming_cancelled += booking.start > self.now()
                except BookingNotFound:
                    log.info("booking %s was no longer active at erasure", booking.ref)
            await self.store.forget(booking)
            report.bookings_deleted += 1
