"""What became of an SMS after Twilio accepted it: its status callbacks (delivered, undelivered, failed).

Twilio answers ``queued`` when it accepts a message; whether the operator delivered it comes later, in a signed
POST to the ``StatusCallback`` URL given at send time (``{PUBLIC_BASE_URL}/webhooks/sms/status``,
``channels/twilio_sms.py``). Every SMS part the router sends is remembered here for a few days under its
MessageSid (who, which message, which mediator message); a report then

- updates the mediator message's delivery state in the console (``DeliveryLog``), and
- for ``failed`` / ``undelivered``, keeps the message in the dead-letter list mediators see (once per message).

A report may arrive before the console recorded the send: it is kept on the part's entry, and
``HandoffService.say`` applies the reports already there once it has recorded the result.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace

import redis.asyncio as aioredis

from bot.identity import channel_of
from bot.outbound.dead_letters import TEXT_MAX, DeadLetters
from bot.outbound.delivery import LOST_STATES, DeliveryLog, DeliveryResult, lost_detail

log = logging.getLogger(__name__)

STATUS_PATH = "/webhooks/sms/status"
SID_PREFIX = "pimms:outbound:sid:"
SID_TTL = 3 * 24 * 3600  # Twilio gives up on a message after its validity period (at most 36 hours)
KNOWN_STATES = frozenset({"accepted", "scheduled", "queued", "sending", "sent", "delivered", "undelivered", "failed"})


def status_callback_url(public_base_url: str) -> str:
    """Where Twilio reports the delivery of the SMS we send (empty without a public address)."""
    return public_base_url.rstrip("/") + STATUS_PATH if public_base_url else ""


def sid_key(message_sid: str) -> str:
    """Redis key of one SMS part sent (holds the sender id and the text: expires, erased with the sender)."""
    return SID_PREFIX + message_sid


@dataclass(frozen=True)
class SentPart:
    """One SMS part as sent: to whom, which message (its first part's sid), the mediator message id if any."""

    sid: str
    sender_id: str
    group: str
    text: str
    delivery_id: str = ""
    state: str = ""
    error_code: str = ""

    def applied_to(self, result: DeliveryResult) -> DeliveryResult:
        """A mediator message's delivery result updated with the state reported for this part."""
        return result.with_provider_status(self.sid, self.state, self.error_code)

    def to_json(self) -> str:
        """Stored form."""
        data = {"s": self.sender_id, "g": self.group, "t": self.text, "d": self.delivery_id}
        return json.dumps({**data, "st": self.state, "e": self.error_code}, ensure_ascii=False)

    @classmethod
    def from_json(cls, sid: str, raw: bytes | str) -> SentPart:
        """Inverse of ``to_json``."""
        data = json.loads(raw)
        return cls(sid, str(data["s"]), str(data["g"]), str(data["t"]), str(data["d"]), str(data["st"]), str(data["e"]))


class SmsStatusIndex:
    """``pimms:outbound:sid:<MessageSid>``: the SMS parts sent in the last days, and what Twilio said of them."""

    def __init__(self, redis: aioredis.Redis, ttl: int = SID_TTL) -> None:
        self.redis = redis
        self.ttl = ttl

    async def remember(self, sender_id: str, sids: Sequence[str], text: str, delivery_id: str = "") -> None:
        """Keep the parts of one message just accepted by Twilio."""
        parts = [sid for sid in sids if sid]
        if not parts:
            return
        async with self.redis.pipeline(transaction=False) as pipe:
            for sid in parts:
                part = SentPart(sid, sender_id, parts[0], text[:TEXT_MAX], delivery_id)
                pipe.set(sid_key(sid), part.to_json(), ex=self.ttl)
            await pipe.execute()

    async def get(self, sid: str) -> SentPart | None:
        """A part sent in the last days, or None."""
        raw = await self.redis.get(sid_key(sid))
        return SentPart.from_json(sid, raw) if raw else None

    async def note(self, part: SentPart, state: str, error_code: str) -> None:
        """Keep the last state reported for a part (a final state is never replaced)."""
        if part.state in LOST_STATES | {"delivered"}:
            return
        updated = replace(part, state=state, error_code=error_code)
        await self.redis.set(sid_key(part.sid), updated.to_json(), xx=True, keepttl=True)

    async def reported(self, sids: Sequence[str]) -> list[SentPart]:
        """The parts among ``sids`` whose state Twilio already reported."""
        parts = [await self.get(sid) for sid in sids if sid]
        return [part for part in parts if part is not None and part.state]

    async def erase(self, sender_id: str) -> int:
        """Forget every part sent to one person (privacy erasure); how many were removed."""
        removed = 0
        async for raw_key in self.redis.scan_iter(match=SID_PREFIX + "*", count=500):
            raw = await self.redis.get(raw_key)
            if raw and json.loads(raw).get("s") == sender_id:
                removed += int(await self.redis.delete(raw_key))
        return removed


class SmsStatusReports:
    """Applies one Twilio status callback: console delivery state, dead letter when lost."""

    def __init__(self, redis: aioredis.Redis, deliveries: DeliveryLog | None = None) -> None:
        self.redis = redis
        self.index = SmsStatusIndex(redis)
        self.deliveries = deliveries or DeliveryLog(redis)
        self.dead_letters = DeadLetters(redis)

    async def apply(self, sid: str, state: str, error_code: str = "") -> SentPart | None:
        """Record what Twilio reports of SMS part ``sid``; the part (None when unknown or expired)."""
        state = state.strip().lower()
        if state not in KNOWN_STATES:
            log.warning("sms status: unknown state %r ignored", state[:20])
            return None
        part = await self.index.get(sid)
        if part is None:
            log.info("sms status %s for an SMS not sent by us in the last days", state)
            return None
        await self.index.note(part, state, error_code)
        if part.delivery_id:
            reported = replace(part, state=state, error_code=error_code)
            await self.deliveries.update(part.sender_id, part.delivery_id, reported.applied_to)
        if state in LOST_STATES and await self._first_loss(part.group):
            channel = channel_of(part.sender_id)
            await self.dead_letters.add(part.sender_id, channel, part.text, lost_detail(state, error_code))
            log.warning("sms %s reported %s (code %s): kept in the dead letters", sid, state, error_code or "-")
        return part

    async def _first_loss(self, group: str) -> bool:
        """True once per message (its parts may each report the loss, Twilio may repeat a report)."""
        return bool(await self.redis.set(f"pimms:dedup:sms-lost:{group}", "1", nx=True, ex=SID_TTL))
