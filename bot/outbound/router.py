"""Send a bot message to any sender id: SMS, Telegram or the HTTP callback, by prefix."""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from functools import partial
from typing import Any

from bot.identity import address_of, channel_of
from bot.optout import OptOutStore
from bot.outbound.dead_letters import DeadLetters
from bot.outbound.delivery import DeliveryResult, Refusal, Status
from bot.outbound.errors import provider_detail
from bot.outbound.retry import NO_RETRY, RetryPolicy, with_retries
from bot.outbound.senders import CallbackSender, SmsSender, TelegramSender
from bot.outbound.status import SmsStatusIndex
from bot.phone import mask
from bot.ratelimit import OutboundCap
from bot.sms import ButtonMemory, render_buttons
from bot.sms.split import shape_sms

log = logging.getLogger(__name__)


class UndeliverableError(Exception):
    """No configured channel can reach this sender id."""


class DeliveryError(Exception):
    """The transport failed (network, provider error); the message may not have left."""


def describe(sender_id: str) -> str:
    """A sender id safe for logs (phone numbers and Telegram chat ids masked)."""
    channel = channel_of(sender_id)
    if channel == "sms":
        return f"sms {mask(address_of(sender_id))}"
    if channel == "telegram":
        return f"telegram {mask_chat_id(address_of(sender_id))}"
    return sender_id


def mask_chat_id(chat_id: str) -> str:
    """``"5123456789"`` -> ``"********89"`` (enough to tell chats apart in a log, not to reach them)."""
    text = str(chat_id)
    return "*" * max(0, len(text) - 2) + text[-2:]


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
        retry: RetryPolicy = NO_RETRY,
        dead_letters: DeadLetters | None = None,
        sms_status: SmsStatusIndex | None = None,
    ) -> None:
        self.sms = sms
        self.telegram = telegram
        self.callback = callback
        self.optout = optout
        self.cap = cap
        self.button_memory = button_memory
        self.max_messages = max_messages
        self.retry = retry
        self.dead_letters = dead_letters
        self.sms_status = sms_status

    async def send(
        self, sender_id: str, text: str, buttons: list[dict[str, Any]] | None = None, *, force: bool = False
    ) -> bool:
        """Deliver one bot message; False when suppressed (opt-out, daily cap).

        ``force`` skips opt-out and cap (only for the STOP/START/AIDE confirmations).
        Raises ``UndeliverableError`` when no channel reaches the sender, ``DeliveryError`` on failure.
        """
        result = await self.deliver(sender_id, text, buttons, force=force)
        if result.status == Status.REFUSED and result.reason == Refusal.NO_CHANNEL.value:
            raise UndeliverableError(f"no {channel_of(sender_id)} channel configured for {describe(sender_id)}")
        if result.status == Status.PROVIDER_ERROR:
            raise DeliveryError(f"{channel_of(sender_id)} delivery failed: {result.detail}")
        return result.ok

    async def deliver(
        self,
        sender_id: str,
        text: str,
        buttons: list[dict[str, Any]] | None = None,
        *,
        force: bool = False,
        delivery_id: str = "",
        human: bool = False,
    ) -> DeliveryResult:
        """Deliver one bot message and say what became of it; never raises for a refusal or a provider error.

        ``human``: a mediator's message, never held back by the daily cap of automatic messages (nor counted in
        it); opt-out still applies.

        ``SENT`` only when the provider accepted every part (its message ids are in the result). SMS parts are
        remembered for Twilio's later status reports (``bot.outbound.status``), with ``delivery_id``: the
        console's id of a mediator message.
        """
        channel = channel_of(sender_id)
        if {"sms": self.sms, "telegram": self.telegram, "callback": self.callback}[channel] is None:
            log.warning("outbound: no %s channel configured for %s", channel, describe(sender_id))
            return DeliveryResult.refused(Refusal.NO_CHANNEL)
        if not force and self.optout is not None and await self.optout.is_opted_out(sender_id):
            log.info("outbound suppressed (opted out) for %s", describe(sender_id))
            return DeliveryResult.refused(Refusal.OPTED_OUT)
        units = 1
        if channel == "sms":
            body = render_buttons(text, buttons) if buttons else text
            shaped = shape_sms(body, self.max_messages)
            if not shaped.parts:
                return DeliveryResult.refused(Refusal.EMPTY)
            units = len(shaped.parts)  # the cap counts what the provider bills: segments
        elif not text.strip():
            return DeliveryResult.refused(Refusal.EMPTY)
        if not (force or human) and self.cap is not None and not await self.cap.allow(sender_id, units):
            log.warning("outbound suppressed (daily cap) for %s", describe(sender_id))
            return DeliveryResult.refused(Refusal.DAILY_CAP)
        ids: list[str] = []
        try:
            if channel == "sms":
                assert self.sms is not None
                if buttons and self.button_memory is not None:
                    await self.button_memory.remember(sender_id, buttons)
                sms, to = self.sms, address_of(sender_id)
                for part in shaped.parts:  # each part retried alone: a part that left is never sent again
                    ids.append(str(await with_retries(partial(sms.send_sms, to, part), self.retry, "sms") or ""))
                await self._remember_sms(sender_id, ids, body, delivery_id)
                return DeliveryResult.sent(ids, parts=len(shaped.parts), encoding=shaped.encoding)
            if channel == "telegram":
                assert self.telegram is not None
                if buttons and self.button_memory is not None:
                    # Telegram callbacks are accepted only for buttons actually sent (channels/telegram.py).
                    await self.button_memory.remember(sender_id, buttons)
                telegram, chat = self.telegram, address_of(sender_id)
                sent = await with_retries(lambda: telegram.send_telegram(chat, text, buttons), self.retry, "telegram")
                ids = [str(i) for i in (sent or [])]
                return DeliveryResult.sent(ids)
            assert self.callback is not None
            callback = self.callback
            await with_retries(lambda: callback.send_callback(sender_id, text, buttons), self.retry, "callback")
            return DeliveryResult.sent(["callback"])
        except Exception as exc:
            detail = provider_detail(exc)
            log.error("sending to %s failed: %s", describe(sender_id), detail)
            await self._dead_letter(sender_id, channel, text, detail)
            return DeliveryResult.provider_error(detail, tuple(i for i in ids if i))

    async def _remember_sms(self, sender_id: str, ids: list[str], text: str, delivery_id: str) -> None:
        """Keep the parts for the status callbacks (the SMS did leave)."""
        if self.sms_status is not None:
            remember = self.sms_status.remember(sender_id, ids, text, delivery_id)
            await self._bookkeeping(remember, "sms sent but not remembered for its status", sender_id)

    async def _dead_letter(self, sender_id: str, channel: str, text: str, detail: str) -> None:
        """Keep what finally failed where mediators see it."""
        if self.dead_letters is not None:
            keep = self.dead_letters.add(sender_id, channel, text, detail)
            await self._bookkeeping(keep, "dead letter not kept", sender_id)

    @staticmethod
    async def _bookkeeping(work: Awaitable[Any], failure: str, sender_id: str) -> None:
        """Redis bookkeeping around a send; never raises (Redis may be what failed)."""
        try:
            await work
        except Exception as exc:
            log.error("%s for %s: %s", failure, describe(sender_id), type(exc).__name__)
