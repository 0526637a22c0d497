"""The agenda mediators run: a site's day, attended / no-show / cancelled, closures and extra counters.

Cancelling tells the resident through their own channel (``bot/outbound``) and frees the slot; closing a day
cancels that day's appointments and tells each resident. Every step is counted in the activity log through
``BookingService.record`` (motive and site only).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Protocol

from bot.booking import agenda_messages
from bot.booking.models import Booking, BookingError
from bot.booking.overrides import DayOverrides
from bot.booking.service import BookingService
from bot.outbound.delivery import DeliveryResult

log = logging.getLogger(__name__)
OUTCOMES = ("attended", "no_show")
OUTCOME_FIELD = "outcome"


class Sender(Protocol):
    """``bot.outbound.OutboundRouter``'s delivering interface."""

    async def deliver(self, sender_id: str, text: str, buttons: list[dict[str, Any]] | None = None) -> DeliveryResult:
        """Deliver one message and say what became of it."""


class AgendaError(BookingError):
    """A change the agenda refuses (already marked, not active, unknown)."""


@dataclass
class Appointment:
    """A booking as the agenda shows it, with its outcome when marked."""

    booking: Booking
    outcome: str = ""


@dataclass
class Delivery:
    """Whether the resident was told (a message not delivered is shown to the mediator, with why)."""

    ref: str
    delivered: bool
    detail: str = ""


class Agenda:
    """Agenda operations over the booking service, the day overrides and the outbound router."""

    def __init__(self, service: BookingService, overrides: DayOverrides, sender: Sender) -> None:
        self.service = service
        self.overrides = overrides
        self.sender = sender

    @property
    def redis(self) -> Any:
        """The booking store's Redis client."""
        return self.service.store._redis

    async def day(self, site_id: str, day: date) -> list[Appointment]:
        """A site's active appointments of a day, by time, with their outcome."""
        found = []
        for booking in await self.service.store.on_day(site_id, day):
            raw = await self.redis.hget(self.service.store.ref_key(booking.ref), OUTCOME_FIELD)
            outcome = raw.decode() if isinstance(raw, bytes) else (raw or "")
            local = replace(booking, start=booking.start.astimezone(self.service.sites.tz))
            found.append(Appointment(local, outcome))
        return found

    async def mark(self, ref: str, outcome: str) -> Booking:
        """Attended or no-show, once per appointment (a second mark is refused)."""
        if outcome not in OUTCOMES:
            raise AgendaError("choix inconnu")
        booking = await self.service.store.get(ref)
        if booking is None or not booking.active:
            raise AgendaError("rendez-vous introuvable ou annulé")
        if booking.start > self.service.now():
            raise AgendaError("ce rendez-vous n'a pas encore commencé")
        if not await self.redis.hsetnx(self.service.store.ref_key(ref), OUTCOME_FIELD, outcome):
            raise AgendaError("rendez-vous déjà marqué")
        await self.service.record(outcome, booking, by="mediator")
        return booking

    async def cancel(self, ref: str) -> Delivery:
        """Cancel for the counter: free the slot, then tell the resident."""
        booking = await self.service.store.get(ref)
        if booking is None or not booking.active:
            raise AgendaError("rendez-vous introuvable ou déjà annulé")
        await self.service.cancel(booking.user, ref, by="mediator")
        return await self._tell(booking, agenda_messages.cancelled_by_counter)

    async def close_day(self, site_id: str, day: date, mediator: str) -> list[Delivery]:
        """Close the site that day: no more bookings; each booked resident is told and their slot freed."""
        await self.overrides.close(site_id, day, mediator)
        told = []
        for booking in await self.service.store.on_day(site_id, day):
            await self.service.cancel(booking.user, booking.ref, by="closure")
            told.append(await self._tell(booking, agenda_messages.closed_day))
        return told

    async def add_counter(self, site_id: str, day: date) -> int:
        """One more counter that day (more free slots for residents); the number of extra counters."""
        return await self.overrides.add_counter(site_id, day)

    async def _tell(self, booking: Booking, text: Any) -> Delivery:
        site = self.service.site(booking.site_id)
        local = replace(booking, start=booking.start.astimezone(self.service.sites.tz))
        try:
            result = await self.sender.deliver(booking.user, text(local, site))
        except Exception as exc:  # shown to the mediator, who can call the resident
            log.warning("agenda notice %s not delivered: %s", booking.ref, type(exc).__name__)
            return Delivery(booking.ref, False, type(exc).__name__)
        return Delivery(booking.ref, result.ok, result.detail or result.reason)
