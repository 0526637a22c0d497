"""The Rasa output channel of our channels: bot messages leave through the shared outbound router."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from rasa.core.channels.channel import OutputChannel

from bot.identity import describe
from bot.outbound import DeliveryError, OutboundRouter, UndeliverableError
from channels.runtime import SentAnswers

log = logging.getLogger(__name__)


class RouterOutputChannel(OutputChannel):
    """Rasa output channel writing through an ``OutboundRouter``; never raises into Rasa."""

    channel_name = "router"

    def __init__(self, router_factory: Callable[[], OutboundRouter], sent: SentAnswers | None = None) -> None:
        self._router_factory = router_factory
        self._sent = sent  # the answers an earlier attempt of the same turn sent (channels.runtime.TurnReplies)
        self._index = 0

    @classmethod
    def name(cls) -> str:
        """Channel name (set by subclasses)."""
        return cls.channel_name

    async def _send(self, recipient_id: str, text: str, buttons: list[dict[str, Any]] | None = None) -> None:
        index, self._index = self._index, self._index + 1
        signature = json.dumps([text, buttons], ensure_ascii=False, sort_keys=True)
        sent = self._sent
        if sent is not None and await sent.already(index, signature):
            log.info("%s: answer %d of a retried turn already sent to %s", self.name(), index, describe(recipient_id))
            return
        try:
            await self._router_factory().send(recipient_id, text, buttons)
            if sent is not None:
                await sent.record(index, signature)
        except (DeliveryError, UndeliverableError) as exc:
            # The turn stays in the tracker; only this message is lost (logged for the operators).
            log.error("%s: message to %s not delivered: %s", self.name(), describe(recipient_id), exc)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        """Send plain text."""
        await self._send(recipient_id, text)

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        """Send text with buttons (numbered on SMS, inline keyboard on Telegram)."""
        await self._send(recipient_id, text, buttons)

    async def send_quick_replies(
        self, recipient_id: str, text: str, quick_replies: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        """Quick replies are buttons."""
        await self._send(recipient_id, text, quick_replies)

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        """Images are sent as their URL."""
        await self._send(recipient_id, image)

    async def send_attachment(self, recipient_id: str, attachment: str, **kwargs: Any) -> None:
        """Attachments are sent as text."""
        await self._send(recipient_id, attachment)

    async def send_custom_json(self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any) -> None:
        """Custom payloads are not sent to users (logged)."""
        log.warning("%s: custom json not sent to %s", self.name(), describe(recipient_id))
