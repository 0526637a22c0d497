"""Wraps Rasa's ``on_new_message`` with the privacy gate (EFFACER, MES DONNEES, first-contact notice)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import redis.asyncio as aioredis
from rasa.core.channels.channel import UserMessage

from bot import wiring
from bot.outbound.senders import Send
from bot.privacy.gate import PrivacyGate
from bot.settings import Settings

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


def build_gate(settings: Settings, redis: aioredis.Redis, *, notice: bool) -> PrivacyGate:
    """The gate of one channel process (``notice``: send the first-contact notice on this channel)."""
    return wiring.privacy_gate(settings, redis, notice=notice)


def guarded(
    on_new_message: OnNewMessage, gate: Callable[[], PrivacyGate], send_for: Callable[[UserMessage], Send]
) -> OnNewMessage:
    """``on_new_message`` preceded by the privacy gate and followed by the first-contact notice."""

    async def handle(message: UserMessage) -> Any:
        send = send_for(message)
        decision = await gate().before(message.sender_id, message.text or "", send)
        if decision.consumed:
            return None
        result = await on_new_message(message)
        await gate().after(decision, send, message.sender_id)
        return result

    return handle


def collector_send(message: UserMessage) -> Send:
    """Reply through the message's own output channel (REST collects it into the HTTP response)."""

    async def send(text: str, buttons: list[dict[str, Any]] | None = None, force: bool = False) -> None:
        output = message.output_channel
        if buttons:
            await output.send_text_with_buttons(message.sender_id, text, buttons)
        else:
            await output.send_text_message(message.sender_id, text)

    return send
