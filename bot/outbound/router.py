"""Send a bot message to any sender id: SMS, Telegram or the HTTP callback, by prefix."""

from __future__ import annotations

import logging
from typing import Any

from bot.identity import address_of, channel_of
from bot.optout import OptOutStore
from bot.outbound.senders import CallbackSender, SmsSender, TelegramSender
from bot.phone import mask
from bot.ratelimit import OutboundCap
from bot.sms import ButtonMemory, format_sms, render_buttons

log = logging.getLogger(__name__)


class UndeliverableError(Exception):
    """No configured channel can reach this sender id."""


class DeliveryError(Exception):
    """The transport failed (network, provider error); the message may not have left."""


def describe(sender_id: str) -> str:
    """A sender id safe for logs (phone numbers masked)."""
    return f"sms {mask(address_of(sender_id))}" if channel_of(sender_id) == "sms" else sender_id


class OutboundRouter:
    """Routes by sender-id prefix, honouring opt-out and the daily cap."""

    def __init__(
        self,
        *,
        sms: SmsSender | None = None,
        telegram: TelegramSender | None = None,
        callback: CallbackSender | None = None,
        optout: OptOutStore | None = None,
        cap: OutboundCap | None = None,
        button_memory: ButtonMemory | None = None,
        max_messages: int = 4,
    ) -> None:
        self.sms = sms
        self.telegram = telegram
        self.callback = callback
        self.optout = optout
        self.cap = cap
        self.button_memory = button_memory
        self.max_messages = max_messages

    async def send(
        self, sender_id: str, text: str, buttons: list[dict[str, Any]] | None = None, *, force: bool = False
    ) -> bool:
        """Deliver one bot message; False when suppressed (opt-out, daily cap).

        ``force`` skips opt-out and cap (only for the STOP/START/AIDE confirmations).
        Raises ``UndeliverableError`` when no channel reaches the sender, ``DeliveryError`` on failure.
        """
        channel = channel_of(sender_id)
        self._check_reachable(channel, sender_id)
        if not force and self.optout is not None and await self.optout.is_opted_out(sender_id):
            log.info("outbound suppressed (opted out) for %s", describe(sender_id))
            return False
        if not force and self.cap is not None and not await self.cap.allow(sender_id):
            log.warning("outbound suppressed (daily cap) for %s", describe(sender_id))
            return False
        try:
            if channel == "sms":
                await self._send_sms(sender_id, text, buttons)
            elif channel == "telegram":
                assert self.telegram is not None
                await self.telegram.send_telegram(address_of(sender_id), text, buttons)
            else:
                assert self.callback is not None
                await self.callback.send_callback(sender_id, text, buttons)
        except (UndeliverableError, DeliveryError):
            raise
        except Exception as exc:
            log.error("sending to %s failed: %s", describe(sender_id), type(exc).__name__)
            raise DeliveryError(f"{channel} delivery failed: {type(exc).__name__}") from exc
        return True

    def _check_reachable(self, channel: str, sender_id: str) -> None:
        transport = {"sms": self.sms, "telegram": self.telegram, "callback": self.callback}[channel]
        if transport is None:
            raise UndeliverableError(f"no {channel} channel configured for {describe(sender_id)}")

    async def _send_sms(self, sender_id: str, text: str, buttons: list[dict[str, Any]] | None) -> None:
        assert self.sms is not None
        body = render_buttons(text, buttons) if buttons else text
        if buttons and self.button_memory is not None:
            await self.button_memory.remember(sender_id, buttons)
        for part in format_sms(body, self.max_messages):
            await self.sms.send_sms(address_of(sender_id), part)
