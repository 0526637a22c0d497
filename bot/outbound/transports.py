"""Transports: how one channel's messages leave (``OutboundRouter.transports``, keyed by the registry's name).

The router decides whether a message may leave (channel configured, opt-out, daily cap) and what becomes of a
failure (dead letters); a transport knows its channel: what the text becomes (``prepare``: SMS segments and
numbered buttons, Telegram's inline keyboard), how it is sent (with retries, each part alone), what is
remembered around it (buttons shown, SMS parts awaiting Twilio's status reports), and which provider reports
already arrived (``early_reports``).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, Protocol

from bot.identity import describe
from bot.outbound.delivery import DeliveryResult
from bot.outbound.retry import NO_RETRY, RetryPolicy, with_retries
from bot.outbound.senders import CallbackSender, SmsSender, TelegramSender
from bot.outbound.status import SmsStatusIndex
from bot.sms import ButtonMemory, render_buttons
from bot.sms.split import shape_sms

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outgoing:
    """A message as it will leave: its parts, the buttons the provider shows itself, what the cap counts."""

    text: str  # the whole text (SMS: buttons written in it)
    parts: tuple[str, ...]
    buttons: list[dict[str, Any]] | None = None  # as given by the bot (remembered, and shown where native)
    units: int = 1  # what the daily cap counts: SMS segments billed by the provider, else one
    encoding: str = ""


class Report(Protocol):
    """A provider's report about one part, arrived before the sender recorded the result."""

    def applied_to(self, result: DeliveryResult) -> DeliveryResult:
        """The result updated with the reported state."""


class Transport(Protocol):
    """One channel's way out."""

    def prepare(self, text: str, buttons: list[dict[str, Any]] | None) -> Outgoing | None:
        """The message as it will leave; None when there is nothing to send."""

    async def send(
        self, sender_id: str, address: str, outgoing: Outgoing, delivery_id: str, sent: list[str]
    ) -> DeliveryResult:
        """Send every part (appending the provider's ids to ``sent`` as they leave); raise on failure."""

    async def early_reports(self, provider_ids: Sequence[str]) -> Sequence[Report]:
        """Reports the provider already sent about these parts (applied once the result is recorded)."""


async def bookkeeping(work: Awaitable[Any], failure: str, sender_id: str) -> None:
    """Redis bookkeeping around a send; never raises (Redis may be what failed)."""
    try:
        await work
    except Exception as exc:
        log.error("%s for %s: %s", failure, describe(sender_id), type(exc).__name__)


class SmsTransport:
    """SMS through Twilio: GSM-7 shaping into at most ``max_messages`` parts, buttons numbered in the text (the
    reply "1" is mapped back by ``ButtonMemory``), each part sent and retried alone, the parts remembered for
    Twilio's status reports (``bot/outbound/status.py``)."""

    def __init__(
        self,
        sender: SmsSender,
        *,
        max_messages: int = 4,
        retry: RetryPolicy = NO_RETRY,
        buttons: ButtonMemory | None = None,
        status: SmsStatusIndex | None = None,
        address_prefix: str = "",
        what: str = "sms",
    ) -> None:
        self.sender = sender
        self.what = what  # names the channel in retry logs
        self.max_messages = max_messages
        self.retry = retry
        self.buttons = buttons
        self.status = status
        self.address_prefix = address_prefix  # Twilio's address form of the channel ("whatsapp:" for WhatsApp)

    def prepare(self, text: str, buttons: list[dict[str, Any]] | None) -> Outgoing | None:
        """Buttons numbered in the text, then GSM-7 parts; units are the segments billed."""
        body = render_buttons(text, buttons) if buttons else text
        shaped = shape_sms(body, self.max_messages)
        if not shaped.parts:
            return None
        return Outgoing(body, tuple(shaped.parts), buttons, units=len(shaped.parts), encoding=shaped.encoding)

    async def send(
        self, sender_id: str, address: str, outgoing: Outgoing, delivery_id: str, sent: list[str]
    ) -> DeliveryResult:
        """Remember the buttons, send each part (a part that left is never sent again), remember the parts."""
        if outgoing.buttons and self.buttons is not None:
            await self.buttons.remember(sender_id, outgoing.buttons)
        to = self.address_prefix + address
        for part in outgoing.parts:
            sent.append(str(await with_retries(partial(self.sender.send_sms, to, part), self.retry, self.what) or ""))
        if self.status is not None:  # the SMS did leave: keep the parts for the status callbacks
            remember = self.status.remember(sender_id, sent, outgoing.text, delivery_id)
            await bookkeeping(remember, "sms sent but not remembered for its status", sender_id)
        return DeliveryResult.sent(sent, parts=len(outgoing.parts), encoding=outgoing.encoding)

    async def early_reports(self, provider_ids: Sequence[str]) -> Sequence[Report]:
        """Twilio may have reported a part before the result was recorded."""
        return await self.status.reported(provider_ids) if self.status is not None else []


class TelegramTransport:
    """Telegram: the text as it is, buttons as an inline keyboard; the buttons sent are remembered because
    Telegram callbacks are accepted only for buttons actually sent (``channels/telegram.py``)."""

    def __init__(
        self, sender: TelegramSender, *, retry: RetryPolicy = NO_RETRY, buttons: ButtonMemory | None = None
    ) -> None:
        self.sender = sender
        self.retry = retry
        self.buttons = buttons

    def prepare(self, text: str, buttons: list[dict[str, Any]] | None) -> Outgoing | None:
        """One message (the sender splits at Telegram's limit)."""
        return Outgoing(text, (text,), buttons) if text.strip() else None

    async def send(
        self, sender_id: str, address: str, outgoing: Outgoing, delivery_id: str, sent: list[str]
    ) -> DeliveryResult:
        """Remember the buttons, then send."""
        if outgoing.buttons and self.buttons is not None:
            await self.buttons.remember(sender_id, outgoing.buttons)
        sender, buttons = self.sender, outgoing.buttons
        ids = await with_retries(lambda: sender.send_telegram(address, outgoing.text, buttons), self.retry, "telegram")
        sent.extend(str(i) for i in ids or [])
        return DeliveryResult.sent(sent)

    async def early_reports(self, provider_ids: Sequence[str]) -> Sequence[Report]:
        """Telegram sends no delivery reports."""
        return []


class CallbackTransport:
    """Rasa's callback format, POSTed to CALLBACK_URL (the web chat and tests)."""

    def __init__(self, sender: CallbackSender, *, retry: RetryPolicy = NO_RETRY) -> None:
        self.sender = sender
        self.retry = retry

    def prepare(self, text: str, buttons: list[dict[str, Any]] | None) -> Outgoing | None:
        """The text and its buttons as they are."""
        return Outgoing(text, (text,), buttons) if text.strip() else None

    async def send(
        self, sender_id: str, address: str, outgoing: Outgoing, delivery_id: str, sent: list[str]
    ) -> DeliveryResult:
        """One POST."""
        sender, buttons = self.sender, outgoing.buttons
        await with_retries(lambda: sender.send_callback(address, outgoing.text, buttons), self.retry, "callback")
        return DeliveryResult.sent(["callback"])

    async def early_reports(self, provider_ids: Sequence[str]) -> Sequence[Report]:
        """No delivery reports."""
        return []
