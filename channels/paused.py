"""Runs ``bot.handoff.waiting.WaitingGate`` around each turn of our channels (one gate per event loop)."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from rasa.core.channels.channel import UserMessage

from bot import wiring
from bot.handoff.waiting import GateResult, WaitingGate
from bot.outbound.senders import Send
from bot.settings import Settings

log = logging.getLogger(__name__)


class PausedTurns:
    """Calls the gate before Rasa sees a message and records its replies after."""

    def __init__(self, settings: Settings, runtime: Any) -> None:
        self.settings = settings
        self.runtime = runtime
        self._loop: asyncio.AbstractEventLoop | None = None
        self._gate: WaitingGate | None = None

    def gate(self) -> WaitingGate:
        """The gate of the running loop."""
        loop = asyncio.get_running_loop()
        if self._gate is None or self._loop is not loop:
            self._gate = wiring.waiting_gate(self.settings, self.runtime.redis, self.runtime.router)
            self._loop = loop
        return self._gate

    async def record(self, message: UserMessage) -> None:
        """Keep a message in the transcript without a turn (an opted-out sender: nobody answers)."""
        gate = self.gate()
        if gate.recorder is None:
            log.info("message of an opted-out sender not recorded (no Rasa API token)")
            return
        metadata = {k: v for k, v in (message.metadata or {}).items() if k in ("channel", "record_only")}
        try:
            await gate.recorder.record_user_message(message.sender_id, message.text or "", metadata)
        except Exception as exc:  # the journal retries the turn
            log.warning("message of an opted-out sender not recorded yet: %s", type(exc).__name__)
            raise
        await gate.store.publish("message", message.sender_id)

    async def run(self, message: UserMessage, on_new_message: Any, reply: Send | None = None) -> None:
        """Gate, then Rasa, then the transcript (``reply``: answer through the message's own channel)."""
        result: GateResult | None = None
        answered = bool((message.metadata or {}).get("danger_answered"))
        language = str((message.metadata or {}).get("language") or "fr")
        try:
            result = await self.gate().before_turn(
                message.sender_id, message.text or "", reply, answered=answered, language=language
            )
        except Exception:  # the message still goes to Rasa: it is never lost
            log.exception("paused-conversation check failed")
        await on_new_message(message)
        if result is not None and result.said:
            await self.gate().after_turn(message.sender_id, result)
