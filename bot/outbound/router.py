"""Send a bot message to any sender id, through the transport of its channel (``bot/outbound/transports.py``)."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from bot.identity import Channel, describe, kind_of
from bot.optout import OptOutStore
from bot.outbound.dead_letters import DeadLetters
from bot.outbound.delivery import DeliveryResult, Refusal, Status
from bot.outbound.errors import provider_detail
from bot.outbound.transports import Report, Transport, bookkeeping
from bot.ratelimit import OutboundCap

log = logging.getLogger(__name__)


class UndeliverableError(Exception):
    """No configured channel can reach this sender id."""


class DeliveryError(Exception):
    """The transport failed (network, provider error); the message may not have left."""


class OutboundRouter:
    """Picks the transport of the sender's channel (the registry's name is its key), honouring opt-out and the
    daily cap; a channel without a transport in the table is not configured."""

    def __init__(
        self,
        *,
        transports: Mapping[Channel, Transport] | None = None,
        optout: OptOutStore | None = None,
        cap: OutboundCap | None = None,
        dead_letters: DeadLetters | None = None,
    ) -> None:
        self.transports: dict[Channel, Transport] = dict(transports or {})
        self.optout = optout
        self.cap = cap
        self.dead_letters = dead_letters

    async def send(
        self, sender_id: str, text: str, buttons: list[dict[str, Any]] | None = None, *, force: bool = False
    ) -> bool:
        """Deliver one bot message; False when suppressed (opt-out, daily cap).

        ``force`` skips opt-out and cap (only for the STOP/START/AIDE confirmations).
        Raises ``UndeliverableError`` when no channel reaches the sender, ``DeliveryError`` on failure.
        """
        result = await self.deliver(sender_id, text, buttons, force=force)
        if result.status == Status.REFUSED and result.reason == Refusal.NO_CHANNEL.value:
            raise UndeliverableError(f"no {kind_of(sender_id).name} channel configured for {describe(sender_id)}")
        if result.status == Status.PROVIDER_ERROR:
            raise DeliveryError(f"{kind_of(sender_id).name} delivery failed: {result.detail}")
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
        kind = kind_of(sender_id)
        transport = self.transports.get(kind.name)
        if transport is None:
            log.warning("outbound: no %s channel configured for %s", kind.name, describe(sender_id))
            return DeliveryResult.refused(Refusal.NO_CHANNEL)
        if not force and self.optout is not None and await self.optout.is_opted_out(sender_id):
            log.info("outbound suppressed (opted out) for %s", describe(sender_id))
            return DeliveryResult.refused(Refusal.OPTED_OUT)
        outgoing = transport.prepare(text, buttons)
        if outgoing is None:
            return DeliveryResult.refused(Refusal.EMPTY)
        if not (force or human) and self.cap is not None and not await self.cap.allow(sender_id, outgoing.units):
            log.warning("outbound suppressed (daily cap) for %s", describe(sender_id))
            return DeliveryResult.refused(Refusal.DAILY_CAP)
        sent: list[str] = []
        try:
            return await transport.send(sender_id, kind.address(sender_id), outgoing, delivery_id, sent)
        except Exception as exc:
            detail = provider_detail(exc)
            log.error("sending to %s failed: %s", describe(sender_id), detail)
            await self._dead_letter(sender_id, kind.name, text, detail)
            return DeliveryResult.provider_error(detail, tuple(i for i in sent if i))

    async def early_reports(self, sender_id: str, provider_ids: Sequence[str]) -> Sequence[Report]:
        """Provider reports about these parts that arrived before the caller recorded the result (SMS status
        callbacks may beat the console); empty for channels without reports."""
        transport = self.transports.get(kind_of(sender_id).name)
        return await transport.early_reports(provider_ids) if transport is not None and provider_ids else []

    async def _dead_letter(self, sender_id: str, channel: str, text: str, detail: str) -> None:
        """Keep what finally failed where mediators see it."""
        if self.dead_letters is not None:
            keep = self.dead_letters.add(sender_id, channel, text, detail)
            await bookkeeping(keep, "dead letter not kept", sender_id)
