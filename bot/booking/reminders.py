"""Appointment reminders: when to send, arq scheduling per booking, delivery through a sender."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, time, timedelta, timezone
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from arq.connections import ArqRedis
from arq.constants import job_key_prefix

from bot.booking.messages import reminder_text
from bot.booking.models import Booking
from bot.booking.motives import MotiveCatalog
from bot.booking.reminder_guard import ReminderRecord, decide
from bot.booking.store import BookingStore
from bot.sites import SiteDirectory

log = logging.getLogger(__name__)

REMINDER_QUEUE = "pimms:booking:reminders"
REMINDER_FUNCTION = "send_booking_reminder"
EVENING_BEFORE = time(18, 0)
MORNING_OF = time(8, 0)
MIN_NOTICE = timedelta(minutes=5)
MIN_BEFORE_START = timedelta(hours=1)
JOB_GRACE = timedelta(days=1)


class Sender(Protocol):
    """What delivers a text to a sender id (``bot.outbound.OutboundRouter`` or a test fake)."""

    async def send(self, sender_id: str, text: str, buttons: list[dict[str, Any]] | None = None) -> bool:
        """Deliver; False when suppressed (opt-out)."""


class ReminderScheduler(Protocol):
    """Schedules and cancels the reminder of a booking."""

    async def schedule(self, booking: Booking) -> datetime | None:
        """Schedule (or replace) the reminder; returns when it will go, or None."""

    async def unschedule(self, ref: str) -> None:
        """Cancel the reminder of a booking reference."""


def reminder_job_id(ref: str) -> str:
    """Deterministic arq job id of a booking's reminder."""
    return f"pimms-booking-reminder-{ref}"


def reminder_time(start: datetime, now: datetime, tz: ZoneInfo) -> datetime | None:
    """18:00 the day before; if that is past, 08:00 the same day; None when too late for either."""
    local = start.astimezone(tz)
    candidates = (
        datetime.combine(local.date() - timedelta(days=1), EVENING_BEFORE, tzinfo=tz),
        datetime.combine(local.date(), MORNING_OF, tzinfo=tz),
    )
    now_utc = now.astimezone(timezone.utc)
    for moment in candidates:
        utc = moment.astimezone(timezone.utc)
        if utc >= now_utc + MIN_NOTICE and utc <= start.astimezone(timezone.utc) - MIN_BEFORE_START:
            return moment
    return None


class ArqReminderScheduler:
    """Reminders as deferred arq jobs in Redis (survive restarts), one job id per booking."""

    def __init__(self, pool: ArqRedis, tz: ZoneInfo, now: Callable[[], datetime]) -> None:
        from bot.booking.jobs import uses_json

        if not uses_json(pool):  # the worker refuses pickled jobs: a pickle pool would lose every reminder
            raise ValueError("the reminder pool must use bot.booking.jobs' JSON serializers (arq_pool)")
        self._pool = pool
        self._tz = tz
        self._now = now

    async def schedule(self, booking: Booking) -> datetime | None:
        """Enqueue the reminder job deferred to its send time."""
        await self.unschedule(booking.ref)
        when = reminder_time(booking.start, self._now(), self._tz)
        if when is None:
            return None
        # explicit expiry: arq's default is relative to its own clock, not to the injected one
        expires = max(when - self._now(), timedelta(0)) + JOB_GRACE
        await self._pool.enqueue_job(
            REMINDER_FUNCTION,
            booking.ref,
            _job_id=reminder_job_id(booking.ref),
            _queue_name=REMINDER_QUEUE,
            _defer_until=when,
            _expires=expires,
        )
        return when

    async def unschedule(self, ref: str) -> None:
        """Remove the queued job (the job also re-checks the booking when it runs)."""
        job_id = reminder_job_id(ref)
        await self._pool.zrem(REMINDER_QUEUE, job_id)
        await self._pool.delete(job_key_prefix + job_id)


class Postpone(Exception):
    """The reminder is due at night: run it again at ``until`` (08:00 local)."""

    def __init__(self, until: datetime) -> None:
        super().__init__(until.isoformat())
        self.until = until


async def deliver_reminder(
    ref: str,
    store: BookingStore,
    sites: SiteDirectory,
    catalog: MotiveCatalog,
    sender: Sender,
    now: datetime,
    record: ReminderRecord | None = None,
) -> bool:
    """Send the reminder of an active, upcoming booking at most once, never at night.

    False when skipped, already sent or suppressed; raises ``Postpone`` when due during the night.
    """
    booking = await store.get(ref)
    if booking is None or not booking.active:
        log.info("reminder %s skipped (booking gone or cancelled)", ref)
        return False
    decision = decide(booking.start, now, sites.tz)
    if decision.action == "skip":
        log.info("reminder %s skipped (%s)", ref, decision.reason)
        return False
    if decision.action == "postpone":
        assert decision.until is not None
        raise Postpone(decision.until)
    site, motive = sites.get(booking.site_id), catalog.get(booking.motive_id)
    if site is None or motive is None:
        log.warning("reminder %s skipped: unknown site or motive", ref)
        return False
    if record is not None and not await record.claim(ref, booking.start, now):
        log.info("reminder %s already sent or being sent: not sent again", ref)
        return False
    same_day = booking.start.astimezone(sites.tz).date() == now.astimezone(sites.tz).date()
    try:
        sent = await sender.send(booking.user, reminder_text(booking, site, motive, same_day))
    except Exception as exc:
        if record is not None:
            await record.finish(ref, booking.start, now, "failed", type(exc).__name__)
        raise
    if record is not None:
        await record.finish(ref, booking.start, now, "sent" if sent else "suppressed")
    return sent
