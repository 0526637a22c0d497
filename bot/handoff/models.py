"""Hand-off records: who holds a conversation (the assistant, the queue or a mediator) and its history."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Any


class State(str, Enum):
    """Who answers the resident."""

    BOT = "bot"
    WAITING = "waiting"
    WITH_MEDIATOR = "with_mediator"
    CLOSED = "closed"


HELD_STATES = frozenset({State.WAITING, State.WITH_MEDIATOR})


class Reason(str, Enum):
    """Why the hand-off was requested."""

    REQUEST = "request"
    FALLBACK = "fallback"
    URGENT = "urgent"


class TransitionError(Exception):
    """A transition that is not allowed from the current state (e.g. claiming a taken conversation)."""


@dataclass(frozen=True)
class Transition:
    """One change of state, with time (ISO 8601) and actor (``resident``, ``assistant`` or a mediator)."""

    at: str
    actor: str
    action: str
    state: State
    detail: str = ""


@dataclass
class Handoff:
    """The hand-off state of one conversation."""

    sender_id: str
    state: State = State.BOT
    urgent: bool = False
    reason: Reason = Reason.REQUEST
    channel: str = ""
    requested_at: float = 0.0
    mediator: str = ""
    resume_pending: bool = False
    history: list[Transition] = field(default_factory=list)

    @property
    def held(self) -> bool:
        """Whether the assistant must stay silent (waiting for or talking with a mediator)."""
        return self.state in HELD_STATES

    def to_json(self) -> str:
        """Serialise for Redis."""
        data = asdict(self)
        data["state"] = self.state.value
        data["reason"] = self.reason.value
        data["history"] = [{**asdict(t), "state": t.state.value} for t in self.history]
        return json.dumps(data, ensure_ascii=False)

    @classmethod
    def from_json(cls, raw: str | bytes) -> Handoff:
        """Deserialise from Redis."""
        data: dict[str, Any] = json.loads(raw)
        data["state"] = State(data["state"])
        data["reason"] = Reason(data.get("reason", "request"))
        data["history"] = [Transition(**{**t, "state": State(t["state"])}) for t in data.get("history", [])]
        return cls(**data)
