"""Messages written while the assistant is paused for a mediator (waiting or held).

Rasa parses a paused conversation's messages but runs no action, so this runs in the channel, before the
message goes to Rasa (which still records it for the mediator's transcript):

- danger, whatever the state: the emergency texts of domain/danger.yml at once, and the hand-off raised to
  urgent (first in the queue, URGENT in the console, an ``escalate`` entry in its history);
- waiting for a mediator: a short acknowledgement (place in the queue, or when mediators are back), at most
  once per ``ack_interval`` seconds (a Redis key with that expiry); a direct question about the wait ("ça va
  être long ?", "y a quelqu'un ?") always gets the place in the queue, at most once per ``status_interval``
  seconds (another key); a withdrawal ("annuler", "laissez tomber, c'est réglé") is left to the watcher;
- held by a mediator: nothing (the mediator answers).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from enum import Enum
from typing import Any, Protocol
from zoneinfo import ZoneInfo

import redis.asyncio as aioredis

from bot.danger import detect
from bot.danger_texts import danger_texts
from bot.handoff.announce import Announcer
from bot.handoff.last_seen import touch
from bot.handoff.messages import acknowledgement, is_cancel, is_status_question, status_line
from bot.handoff.models import Reason, State
from bot.handoff.store import PREFIX, HandoffStore
from bot.outbound.senders import Send
from bot.sites import Site

log = logging.getLogger(__name__)
DEFAULT_ACK_INTERVAL = 300
STATUS_INTERVAL = 60


class Outcome(str, Enum):
    """What the gate did with one message."""

    NOT_HELD = "not_held"  # the assistant answers as usual
    DANGER = "danger"
    ACKNOWLEDGED = "acknowledged"
    QUIET = "quiet"  # waiting, acknowledged recently (or "annuler", answered by the watcher)
    WITH_MEDIATOR = "with_mediator"


@dataclass(frozen=True)
class GateResult:
    """The gate's outcome and the texts it sent."""

    outcome: Outcome
    said: list[str] = field(default_factory=list)


class Sender(Protocol):
    """``OutboundRouter.send``."""

    async def send(
        self, sender_id: str, text: str, buttons: list[dict[str, Any]] | None = None, *, force: bool = False
    ) -> bool:
        """Deliver one message."""


class Recorder(Protocol):
    """``RasaApi.record_bot_message``: keeps what was said in the transcript."""

    async def record_bot_message(self, sender_id: str, text: str, metadata: dict[str, Any]) -> None:
        """Append a bot message to the tracker."""

    async def record_user_message(self, sender_id: str, text: str, metadata: dict[str, Any]) -> None:
        """Append a resident's message to the tracker without a turn."""


def ack_key(sender_id: str) -> str:
    """Set while an acknowledgement was sent less than ``ack_interval`` seconds ago."""
    return f"{PREFIX}ack:{sender_id}"


def status_key(sender_id: str) -> str:
    """Set while the place in the queue was given, on a direct question, less than a minute ago."""
    return f"{PREFIX}asked:{sender_id}"


async def hold_acknowledgements(redis: aioredis.Redis, sender_id: str, interval: int = DEFAULT_ACK_INTERVAL) -> None:
    """The resident was just told where they stand: no acknowledgement before ``interval`` seconds."""
    await redis.set(ack_key(sender_id), "1", ex=max(1, interval))


class WaitingGate:
    """Answers danger and acknowledges messages of paused conversations."""

    def __init__(
        self,
        redis: aioredis.Redis,
        router: Sender,
        site: Callable[[], Site],
        tz: ZoneInfo,
        *,
        ack_interval: int = DEFAULT_ACK_INTERVAL,
        clock: Callable[[], float] = time.time,
        recorder: Recorder | None = None,
        announcer: Announcer | None = None,
    ) -> None:
        self.announcer = announcer
        self.store = HandoffStore(redis, clock=clock)
        self.redis = redis
        self.router = router
        self.site = site
        self.tz = tz
        self.ack_interval = ack_interval
        self.clock = clock
        self.recorder = recorder

    async def before_turn(
        self, sender_id: str, text: str, reply: Send | None = None, *, answered: bool = False, language: str = "fr"
    ) -> GateResult:
        """Handle one resident message before Rasa sees it.

        ``reply`` answers through the message's own channel (REST answers in the HTTP response); without it the
        answer leaves through the outbound router (SMS, Telegram). ``answered``: the emergency texts were already
        given (at admission, or in the webhook's answer while Redis was down); they are recorded, not re-sent.
        ``language``: the resident's (the admission decided it), for the emergency texts.
        """
        record = await self.store.get(sender_id)
        if record is None or not record.held:
            return GateResult(Outcome.NOT_HELD)
        await touch(self.redis, sender_id, self.clock())
        match = detect(text)
        if match is not None:
            if self.announcer is not None and record.state == State.WAITING:
                await self.announcer.danger_preview(sender_id, match.kind, text)
            raised = await self.store.request(sender_id, reason=Reason.URGENT, urgent=True, actor="resident")
            if self.announcer is not None:
                await self.announcer.danger(sender_id, match.kind)
                if not record.urgent:
                    await self.announcer.escalated(raised, match.kind, self.clock())
            texts = danger_texts(match.kind, language=language)
            for message in texts if not answered else []:
                await self._say(sender_id, message, reply, force=True)  # past the opt-out and the daily cap
            log.warning("danger (%s) while paused: hand-off raised to urgent", match.kind)
            return GateResult(Outcome.DANGER, texts)
        if record.state == State.WITH_MEDIATOR:
            return GateResult(Outcome.WITH_MEDIATOR)
        if is_cancel(text):
            return GateResult(Outcome.QUIET)  # the hand-off watcher cancels the wait and answers
        if is_status_question(text):
            return await self._status(sender_id, reply, language)
        if not await self.redis.set(ack_key(sender_id), "1", nx=True, ex=max(1, self.ack_interval)):
            return GateResult(Outcome.QUIET)
        now = datetime.fromtimestamp(self.clock(), tz=timezone.utc)
        position = await self.store.position(sender_id)
        text = acknowledgement(position, self.site(), now, self.tz, language)
        await self._say(sender_id, text, reply)
        return GateResult(Outcome.ACKNOWLEDGED, [text])

    async def _status(self, sender_id: str, reply: Send | None, language: str = "fr") -> GateResult:
        """The place in the queue, at most once per ``STATUS_INTERVAL``; it also counts as the acknowledgement."""
        if not await self.redis.set(status_key(sender_id), "1", nx=True, ex=STATUS_INTERVAL):
            return GateResult(Outcome.QUIET)
        await self.redis.set(ack_key(sender_id), "1", ex=max(1, self.ack_interval))
        now = datetime.fromtimestamp(self.clock(), tz=timezone.utc)
        position = await self.store.position(sender_id)
        text = status_line(position, self.site(), now, self.tz, language)
        await self._say(sender_id, text, reply)
        return GateResult(Outcome.ACKNOWLEDGED, [text])

    async def after_turn(self, sender_id: str, result: GateResult) -> None:
        """Record what was said in the tracker, after Rasa recorded the resident's message (keeps the order)."""
        if not result.said:
            return
        if self.recorder is not None:
            for text in result.said:
                try:
                    await self.recorder.record_bot_message(sender_id, text, {"handoff": result.outcome.value})
                except Exception as exc:  # the resident has the message; only the transcript misses it
                    log.warning("paused reply not recorded in the tracker: %s", type(exc).__name__)
        await self.store.publish("message", sender_id)

    async def _say(self, sender_id: str, text: str, reply: Send | None, *, force: bool = False) -> None:
        try:
            if reply is not None:
                await reply(text, force=force)
            else:
                await self.router.send(sender_id, text, force=force)
        except Exception as exc:  # never lose the resident's message because an answer failed
            log.error("paused reply not delivered: %s", type(exc).__name__)
