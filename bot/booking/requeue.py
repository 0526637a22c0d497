"""Rewrite the queued reminders as JSON jobs (once, after the upgrade that stopped arq's pickle, issue 22 L11).

The worker now refuses pickled jobs: a reminder queued before the upgrade would fail. Rescheduling each
booking whose reminder is still queued replaces its job with a JSON one (same id, same time); the job
re-checks the booking and the "sent" record when it runs, so nothing is sent twice.
"""

from __future__ import annotations

from collections.abc import Iterable

from arq.connections import ArqRedis

from bot.booking.reminders import REMINDER_QUEUE, ArqReminderScheduler, reminder_job_id
from bot.booking.store import BookingStore


async def requeue_reminders(
    store: BookingStore, scheduler: ArqReminderScheduler, pool: ArqRedis, site_ids: Iterable[str]
) -> int:
    """Reschedule every active booking whose reminder job is queued; the number rescheduled."""
    count = 0
    for site_id in site_ids:
        for day in await store.days_with_bookings(site_id):
            for booking in await store.on_day(site_id, day):
                if await pool.zscore(REMINDER_QUEUE, reminder_job_id(booking.ref)) is None:
                    continue  # already sent, skipped or cancelled: nothing to rewrite
                await scheduler.schedule(booking)
                count += 1
    return count
