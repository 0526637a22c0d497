"""What became of one outbound message, as the provider answered: sent, refused (and why), provider error.

Every sender returns the provider's message ids; ``OutboundRouter.deliver`` turns the outcome into a
``DeliveryResult`` (never "sent" unless the provider accepted it). ``DeliveryLog`` keeps the result of each
mediator message per conversation so the console shows it; retries update the same entry.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from enum import Enum
from typing import Any

import redis.asyncio as aioredis
from redis.exceptions import WatchError

DELIVERY_PREFIX = "pimms:delivery:"
DELIVERY_TTL = 90 * 24 * 3600


class Status(str, Enum):
    """The state of one outbound message."""

    SENT = "sent"  # the provider accepted every part
    DELIVERED = "delivered"  # the operator reported every part delivered (Twilio status callback)
    UNDELIVERED = "undelivered"  # accepted, then reported failed or undelivered (Twilio status callback)
    REFUSED = "refused"  # we did not send it (opt-out, daily cap, no channel, nothing to send)
    PROVIDER_ERROR = "provider_error"  # the provider or the network failed
    PENDING = "pending"  # waiting for a retry


class Refusal(str, Enum):
    """Why a message was not sent."""

    OPTED_OUT = "opted_out"
    DAILY_CAP = "daily_cap"
    NO_CHANNEL = "no_channel"
    EMPTY = "empty"
    OUTSIDE_WINDOW = "outside_window"  # WhatsApp: more than 24 h since the person's last message
    NO_TEMPLATE = "no_template"  # WhatsApp: the template is not configured (no Twilio content id)


LOST_STATES = frozenset({"failed", "undelivered"})
FINAL_STATES = LOST_STATES | {"delivered"}


def lost_detail(state: str, error_code: str = "") -> str:
    """What the console says of a message the operator did not deliver (Twilio's state and error code)."""
    what = "l'opérateur n'a pas pu le remettre" if state == "undelivered" else "l'envoi a échoué chez l'opérateur"
    return what + (f" (code {error_code})" if error_code else "")


REFUSAL_LABELS = {
    Refusal.OPTED_OUT.value: "la personne a demandé STOP",
    Refusal.DAILY_CAP.value: "plafond quotidien de messages atteint",
    Refusal.NO_CHANNEL.value: "aucun canal configuré pour cette personne",
    Refusal.EMPTY.value: "message vide",
    Refusal.OUTSIDE_WINDOW.value: (
        "la personne n'a pas écrit depuis plus de 24 h ; WhatsApp n'accepte plus qu'un modèle approuvé"
    ),
    Refusal.NO_TEMPLATE.value: "modèle WhatsApp non configuré (docs/deploy.md)",
}


@dataclass(frozen=True)
class DeliveryResult:
    """One message's outcome. ``detail`` is safe to show (provider code and message, never a number)."""

    status: Status
    reason: str = ""
    detail: str = ""
    provider_ids: tuple[str, ...] = ()
    parts: int = 0
    encoding: str = ""
    at: float = field(default_factory=time.time)
    states: tuple[tuple[str, str], ...] = ()  # (provider id, last status reported by the provider)

    @property
    def ok(self) -> bool:
        """Whether the provider accepted the message (and did not report it lost since)."""
        return self.status in (Status.SENT, Status.DELIVERED)

    @classmethod
    def sent(cls, provider_ids: list[str] | tuple[str, ...], *, parts: int = 0, encoding: str = "") -> DeliveryResult:
        """Accepted by the provider."""
        ids = tuple(i for i in provider_ids if i)
        return cls(Status.SENT, provider_ids=ids, parts=parts or len(ids), encoding=encoding)

    @classmethod
    def refused(cls, reason: Refusal) -> DeliveryResult:
        """Not sent, on purpose."""
        return cls(Status.REFUSED, reason=reason.value)

    @classmethod
    def provider_error(cls, detail: str, provider_ids: tuple[str, ...] = ()) -> DeliveryResult:
        """The provider or the network failed (``provider_ids``: parts that did leave before)."""
        return cls(Status.PROVIDER_ERROR, detail=detail[:200], provider_ids=provider_ids)

    def with_status(self, status: Status, detail: str = "") -> DeliveryResult:
        """A copy with another status (for retries)."""
        return replace(self, status=status, detail=detail or self.detail, at=time.time())

    def with_provider_status(self, provider_id: str, state: str, error_code: str = "") -> DeliveryResult:
        """A copy updated by a later report of the provider about one part (``delivered``, ``failed``...).

        A part's final state (delivered, undelivered, failed) is never replaced by an earlier one arriving late;
        the message is undelivered as soon as one part is, delivered once every part is.
        """
        if (
            self.status not in (Status.SENT, Status.DELIVERED, Status.UNDELIVERED)
            or provider_id not in self.provider_ids
        ):
            return self
        known = dict(self.states)
        if known.get(provider_id) in FINAL_STATES:
            return self
        known[provider_id] = state
        states = tuple((pid, known[pid]) for pid in self.provider_ids if pid in known)
        lost = [s for _, s in states if s in LOST_STATES]
        if lost:
            detail = self.detail if self.status == Status.UNDELIVERED else lost_detail(state, error_code)
            return replace(self, status=Status.UNDELIVERED, detail=detail, states=states, at=time.time())
        if all(known.get(pid) == "delivered" for pid in self.provider_ids):
            return replace(self, status=Status.DELIVERED, states=states, at=time.time())
        return replace(self, states=states)

    def label(self) -> str:
        """How the console shows it (French)."""
        count = f" ({self.parts} SMS)" if self.encoding and self.parts > 1 else ""
        if self.status == Status.SENT:
            return "Envoyé" + count
        if self.status == Status.DELIVERED:
            return "Remis" + count
        if self.status == Status.UNDELIVERED:
            return "Non remis : " + (self.detail or "refusé par l'opérateur")
        if self.status == Status.REFUSED:
            return "Non envoyé : " + REFUSAL_LABELS.get(self.reason, self.reason)
        if self.status == Status.PENDING:
            return "En attente d'un nouvel essai" + (f" ({self.detail})" if self.detail else "")
        return "Erreur de l'opérateur : " + (self.detail or "inconnue")

    def to_dict(self) -> dict[str, Any]:
        """JSON-able form."""
        data = asdict(self)
        data["status"] = self.status.value
        data["provider_ids"] = list(self.provider_ids)
        data["states"] = [list(pair) for pair in self.states]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DeliveryResult:
        """Inverse of ``to_dict``."""
        return cls(
            Status(data["status"]),
            reason=str(data.get("reason", "")),
            detail=str(data.get("detail", "")),
            provider_ids=tuple(data.get("provider_ids") or ()),
            parts=int(data.get("parts") or 0),
            encoding=str(data.get("encoding", "")),
            at=float(data.get("at") or 0.0),
            states=tuple((str(pid), str(state)) for pid, state in data.get("states") or ()),
        )


def delivery_key(sender_id: str) -> str:
    """Redis hash of one conversation's delivery results (message id -> JSON); expires, erasable."""
    return DELIVERY_PREFIX + sender_id


class DeliveryLog:
    """Delivery results of mediator messages, per conversation and message id."""

    def __init__(self, redis: aioredis.Redis, ttl: int = DELIVERY_TTL) -> None:
        self.redis = redis
        self.ttl = ttl

    async def record(self, sender_id: str, message_id: str, result: DeliveryResult) -> None:
        """Store (or replace, after a retry) the result of one message."""
        key = delivery_key(sender_id)
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.hset(key, message_id, json.dumps(result.to_dict(), ensure_ascii=False))
            pipe.expire(key, self.ttl)
            await pipe.execute()

    async def get(self, sender_id: str, message_id: str) -> DeliveryResult | None:
        """The result of one message, if recorded."""
        raw = await self.redis.hget(delivery_key(sender_id), message_id)
        return DeliveryResult.from_dict(json.loads(raw)) if raw else None

    async def all(self, sender_id: str) -> dict[str, DeliveryResult]:
        """Every recorded result of a conversation."""
        raw = await self.redis.hgetall(delivery_key(sender_id))
        return {
            (k.decode() if isinstance(k, bytes) else k): DeliveryResult.from_dict(json.loads(v)) for k, v in raw.items()
        }

    async def update(
        self, sender_id: str, message_id: str, change: Callable[[DeliveryResult], DeliveryResult]
    ) -> DeliveryResult | None:
        """Apply ``change`` to one recorded result atomically (parts may report at the same time); the new one."""
        key = delivery_key(sender_id)
        async with self.redis.pipeline(transaction=True) as pipe:
            while True:
                try:
                    await pipe.watch(key)
                    raw = await pipe.hget(key, message_id)
                    if not raw:
                        await pipe.reset()
                        return None
                    result = change(DeliveryResult.from_dict(json.loads(raw)))
                    pipe.multi()
                    pipe.hset(key, message_id, json.dumps(result.to_dict(), ensure_ascii=False))
                    pipe.expire(key, self.ttl)
                    await pipe.execute()
                    return result
                except WatchError:
                    continue

    async def erase(self, sender_id: str) -> None:
        """Forget a conversation's results (privacy erasure)."""
        await self.redis.delete(delivery_key(sender_id))
