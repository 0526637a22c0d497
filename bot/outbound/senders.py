"""One small interface per transport; the router and the Rasa output channels use them."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any, Protocol


class SmsSender(Protocol):
    """Sends one SMS (already shaped for GSM-7) to an E.164 number."""

    async def send_sms(self, to: str, body: str) -> str:
        """Send ``body`` to ``to``; return the provider's message id; raise on failure."""


class TelegramSender(Protocol):
    """Sends one Telegram message, buttons as an inline keyboard."""

    async def send_telegram(self, chat_id: str, text: str, buttons: list[dict[str, Any]] | None = None) -> list[str]:
        """Send ``text`` to ``chat_id``; return Telegram's message ids; raise on failure."""


class CallbackSender(Protocol):
    """Posts a bot message to an HTTP endpoint in the format of Rasa's callback channel."""

    async def send_callback(self, recipient_id: str, text: str, buttons: list[dict[str, Any]] | None = None) -> None:
        """POST the message; raise on failure."""


class Send(Protocol):
    """Deliver one message to the sender of the current message (``force`` skips opt-out and cap)."""

    def __call__(
        self, text: str, buttons: list[dict[str, Any]] | None = None, force: bool = False
    ) -> Awaitable[None]: ...
