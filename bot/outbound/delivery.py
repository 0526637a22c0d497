"""What became of one outbound message, as the provider answered: sent, refused (and why), provider error.

Every sender returns the provider's message ids; ``OutboundRouter.deliver`` turns the outcome into a
``DeliveryResult`` (never "sent" unless the provider accepted it). ``DeliveryLog`` keeps the result of each
mediator message per conversation so the console shows it; retries update the same entry.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field, replace
from enum import Enum
from typing import Any

import redis.asyncio as aioredis

DELIVERY_PREFIX = "pimms:delivery:"
DELIVERY_TTL = 90 * 24 * 3600


class Status(str, Enum):
    """The state of one outbound message."""

    SENT = "sent"  # the provider accepted every part
    REFUSED = "refused"  # we did not send it (opt-out, daily cap, no channel, nothing to send)
    PROVIDER_ERROR = "provider_error"  # the provider or the network failed
    PENDING = "pending"  # waiting for a retry


class Refusal(str, Enum):
    """Why a message was not sent."""

    OPTED_OUT = "opted_out"
    DAILY_CAP = "daily_cap"
    NO_CHANNEL = "no_channel"
    EMPTY = "empty"


REFUSAL_LABELS = {
    Refusal.OPTED_OUT.value: "la personne a demandé STOP",
    Refusal.DAILY_CAP.value: "plafond quotidien de messages atteint",
    Refusal.NO_CHANNEL.value: "aucun canal configuré pour cette personne",
    Refusal.EMPTY.value: "message vide",
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

    @property
    def ok(self) -> bool:
        """Whether the provider accepted the message."""
        return self.status == Status.SENT

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

    def label(self) -> str:
        """How the console shows it (French)."""
        if self.status == Status.SENT:
            return "Envoyé" + (f" ({self.parts} SMS)" if self.encoding and self.parts > 1 else "")
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

    async def erase(self, sender_id: str) -> None:
        """Forget a conversation's results (privacy erasure)."""
        await self.redis.delete(delivery_key(sender_id))
