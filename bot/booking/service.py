"""Booking use cases: offer slots, book, cancel, move, list — over sites, motives, store and reminders."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from bot.activity import log as activity_kinds
from bot.activity.log import ActivityLog
from bot.booking.calendar import Slot, candidate_slots, cell_keys, is_bookable
from bot.booking.dates import DateWish
from bot.booking.messages import booking_line
from bot.booking.models import Booking, BookingNotFound, SlotUnavailable
from bot.booking.motives import Motive, MotiveCatalog
from bot.booking.offers import choose_offers
from bot.booking.overrides import DayOverrides
from bot.booking.reminders import ReminderScheduler
from bot.booking.store import BookingStore
from bot.identity import channel_of
from bot.sites import Site, SiteDirectory


@dataclass
class BookingService:
    """Everything the conversation and the CLI need about appointments."""

    sites: SiteDirectory
    catalog: MotiveCatalog
    store: BookingStore
    now: Callable[[], datetime]
    reminders: ReminderScheduler | None = None
    activity: ActivityLog | None = None
    overrides: DayOverrides | None = None

    def site(self, site_id: str) -> Site:
        """A configured site (KeyError when unknown)."""
        site = self.sites.get(site_id)
        if site is None:
            raise KeyError(site_id)
        return site

    def motive(self, motive_id: str) -> Motive:
        """A configured motive (KeyError when unknown)."""
        motive = self.catalog.get(motive_id)
        if motive is None:
            raise KeyError(motive_id)
        return motive

    def sites_for(self, motive_id: str) -> list[Site]:
        """Sites offering a motive (a site listing no services offers all), in configuration order."""
        return [s for s in self.sites.sites if not s.services or motive_id in s.services]

    async def free_slots(self, site_id: str, motive_id: str) -> list[Slot]:
        """Every slot with a free counter, from now + lead time to the horizon."""
        site, motive = self.site(site_id), self.motive(motive_id)
        granularity = self.catalog.rules.granularity_minutes
        loads: dict[date, dict[str, int]] = {}
        capacity: dict[date, int] = {}
        free = []
        rules, tz = self.catalog.rules, self.sites.tz
        for slot in candidate_slots(site, motive.duration_minutes, rules, self.now(), tz):
            day = slot.start.date()
            if day not in loads:
                loads[day] = await self.store.day_load(site.id, day)
                capacity[day] = await self.capacity(site, day)
            if all(loads[day].get(c, 0) < capacity[day] for c in cell_keys(slot, granularity)):
                free.append(slot)
        return free

    async def capacity(self, site: Site, day: date) -> int:
        """Counters open that day: the site's, plus the mediators' extra ones; 0 when they closed the day."""
        if self.overrides is None:
            return site.counters
        if await self.overrides.is_closed(site.id, day):
            return 0
        return site.counters + await self.overrides.extra_counters(site.id, day)

    async def offers(
        self,
        site_id: str,
        motive_id: str,
        wish: DateWish | None = None,
        after: date | None = None,
        count: int = 3,
    ) -> list[Slot]:
        """A few free slots matching the wish (see ``choose_offers``)."""
        return choose_offers(await self.free_slots(site_id, motive_id), wish, after, count)

    def slot_shape(self, site_id: str, motive_id: str, start: datetime) -> Slot:
        """The slot of this motive starting at ``start`` (no availability check)."""
        local = start.astimezone(self.sites.tz)
        return Slot(site_id, local, local + timedelta(minutes=self.motive(motive_id).duration_minutes))

    def slot_at(self, site_id: str, motive_id: str, start: datetime) -> Slot:
        """The slot starting at ``start`` for this motive, if still bookable; else SlotUnavailable."""
        site, motive = self.site(site_id), self.motive(motive_id)
        slot = self.slot_shape(site.id, motive.id, start)
        rules, tz = self.catalog.rules, self.sites.tz
        if not is_bookable(slot, site, motive.duration_minutes, rules, self.now(), tz):
            raise SlotUnavailable(start.isoformat())
        return slot

    async def book(self, user: str, site_id: str, motive_id: str, start: datetime, language: str = "fr") -> Booking:
        """Book a slot atomically (SlotFull, TooManyBookings, SlotUnavailable) and schedule its reminder;
        ``language``: the resident's, recorded for the agenda."""
        slot = self.slot_at(site_id, motive_id, start)
        booking = Booking(
            ref="",
            user=user,
            site_id=site_id,
            motive_id=motive_id,
            start=slot.start,
            end=slot.end,
            channel=channel_of(user),
            created_at=self.now(),
            language=language or "fr",
        )
        capacity = await self.capacity(self.site(site_id), slot.start.date())
        stored = await self.store.book(booking, capacity, self.catalog.rules.max_active_per_user, self.now())
        if self.reminders is not None:
            await self.reminders.schedule(stored)
        await self.record("made", stored)
        return stored

    async def cancel(self, user: str, ref: str, by: str = "resident") -> Booking:
        """Cancel a user's booking (BookingNotFound) and its reminder."""
        cancelled = await self.store.cancel(ref, user)
        if self.reminders is not None:
            await self.reminders.unschedule(ref)
        await self.record("cancelled", cancelled, by)
        return cancelled

    async def record(self, action: str, booking: Booking, by: str = "resident") -> None:
        """Count a booking event in the activity log (site, motive, channel; nothing personal)."""
        if self.activity is not None:
            await self.activity.record(
                activity_kinds.BOOKING,
                booking.user,
                at=self.now().timestamp(),
                action=action,
                motive=booking.motive_id,
                site=booking.site_id,
                by=by,
            )

    async def move(self, user: str, ref: str, start: datetime, site_id: str | None = None) -> Booking:
        """Atomically book the new slot and cancel the old booking; the reminder follows."""
        old = await self.store.get(ref)
        if old is None or old.user != user or not old.active:
            raise BookingNotFound(ref)
        target_site = site_id or old.site_id
        slot = self.slot_at(target_site, old.motive_id, start)
        booking = Booking(
            ref="",
            user=user,
            site_id=target_site,
            motive_id=old.motive_id,
            start=slot.start,
            end=slot.end,
            channel=channel_of(user),
            created_at=self.now(),
            language=old.language,
        )
        stored = await self.store.book(
            booking,
            await self.capacity(self.site(target_site), slot.start.date()),
            self.catalog.rules.max_active_per_user,
            self.now(),
            replace=old,
        )
        if self.reminders is not None:
            await self.reminders.unschedule(old.ref)
            await self.reminders.schedule(stored)
        await self.record("moved", stored)
        return stored

    def describe(self, booking: Booking, language: str = "fr") -> str:
        """One line for a booking (local time, site, motive, reference) in the resident's language."""
        local = replace(booking, start=booking.start.astimezone(self.sites.tz))
        return booking_line(local, self.sites.get(booking.site_id), self.catalog.get(booking.motive_id), language)

    async def upcoming(self, user: str) -> list[Booking]:
        """The user's active upcoming bookings."""
        return await self.store.for_user(user, self.now())
