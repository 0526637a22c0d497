"""Reminders survive a restart: enqueued by one process, delivered by a new arq worker (burst mode)."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import Any

import pytest
from arq.connections import ArqRedis, RedisSettings
from arq.worker import Worker

from bot.booking.jobs import SERIALIZERS, create_arq_pool
from bot.booking.motives import load_motives
from bot.booking.reminders import REMINDER_QUEUE, ArqReminderScheduler, reminder_job_id, reminder_time
from bot.booking.service import BookingService
from bot.booking.store import BookingStore
from bot.ops.worker import ReminderDeps, worker_functions
from bot.sites import load_sites
from tests.sites import SITES_FILE

SITES = load_sites(SITES_FILE)
TZ = SITES.tz


def booking_moment() -> datetime:
    """A fixed Monday 10h in the past.

    Reminders booked then are already due for arq (which defers on the real clock) and the booking keys
    expire relative to the injected clock, so the outcome never depends on when the suite runs.
    """
    return datetime(2026, 9, 7, 10, 0, tzinfo=TZ)


def redis_settings(url: str) -> RedisSettings:
    """arq settings with a socket timeout that tolerates a busy machine."""
    settings = RedisSettings.from_dsn(url)
    settings.conn_timeout = 10
    return settings


class FakeSender:
    """Records messages; answers like the outbound router (False = opted out)."""

    def __init__(self, opted_out: set[str] | None = None) -> None:
        self.sent: list[tuple[str, str]] = []
        self.opted_out = opted_out or set()

    async def send(self, sender_id: str, text: str, buttons: list[dict[str, Any]] | None = None) -> bool:
        if sender_id in self.opted_out:
            return False
        self.sent.append((sender_id, text))
        return True


def booking_service(pool: ArqRedis) -> BookingService:
    """The booking service on ``pool`` with its clock at booking_moment() (reminders scheduled in arq)."""
    booked_at = booking_moment()
    return BookingService(
        SITES, load_motives(), BookingStore(pool), lambda: booked_at, ArqReminderScheduler(pool, TZ, lambda: booked_at)
    )


async def free_slots_after_two_days(service: BookingService) -> list[Any]:
    """Free CAF slots at Lyon 8 at least two days after booking_moment()."""
    return [s for s in await service.free_slots("lyon8", "caf") if s.start - booking_moment() > timedelta(days=2)]


async def book_in_past_week(redis_url: str, users: list[str]) -> tuple[list[Any], datetime]:
    """Book with a clock at booking_moment(), so reminder times are already due in real time; then disconnect."""
    booked_at = booking_moment()
    pool = await create_arq_pool(redis_settings(redis_url))
    service = booking_service(pool)
    free = await free_slots_after_two_days(service)
    bookings = [await service.book(user, "lyon8", "caf", slot.start) for user, slot in zip(users, free, strict=False)]
    for booking in bookings:
        assert reminder_time(booking.start, booked_at, TZ) is not None
        assert await pool.exists("arq:job:" + reminder_job_id(booking.ref))
    cancelled = await service.cancel(users[-1], bookings[-1].ref)
    assert not await pool.zscore(REMINDER_QUEUE, reminder_job_id(cancelled.ref))
    await pool.close(close_connection_pool=True)
    return bookings, booked_at


async def run_fresh_worker(redis_url: str, sender: FakeSender, clock: datetime, max_jobs: int = -1) -> None:
    """A brand-new worker process stand-in: new connection, injected clock and sender, burst mode.

    ``max_jobs`` stops it after that many jobs (a postponed job stays queued: plain burst mode would wait).
    """
    pool = await create_arq_pool(redis_settings(redis_url))
    deps = ReminderDeps(BookingStore(pool), SITES, load_motives(), sender, lambda: clock)
    worker = Worker(
        functions=worker_functions(),
        queue_name=REMINDER_QUEUE,
        redis_pool=pool,
        burst=True,
        max_burst_jobs=max_jobs,
        poll_delay=0.05,
        handle_signals=False,
        ctx={"booking": deps},
        **SERIALIZERS,
    )
    try:
        await asyncio.wait_for(worker.main(), 30)
    finally:
        await worker.close()


@pytest.mark.timeout(60)
async def test_reminder_is_delivered_by_a_new_worker_after_restart(redis_url: str) -> None:
    users = ["sms-33611111111", "tg-4242", "sms-33622222222"]
    bookings, booked_at = await book_in_past_week(redis_url, users)
    sender = FakeSender(opted_out={"tg-4242"})
    # the worker runs at the first reminder's own send time (18h the evening before)
    send_time = reminder_time(bookings[0].start, booked_at, TZ)
    assert send_time is not None
    await run_fresh_worker(redis_url, sender, clock=send_time)
    assert [user for user, _ in sender.sent] == ["sms-33611111111"]  # opted-out and cancelled: nothing
    text = sender.sent[0][1]
    assert text.startswith("Rappel PIMMS : rendez-vous demain")
    assert "pièce d'identité" in text and "ANNULER RDV" in text and SITES.get("lyon8").address in text


@pytest.mark.timeout(60)
async def test_moved_booking_is_reminded_once_at_its_new_time(redis_url: str) -> None:
    booked_at = booking_moment()
    pool = await create_arq_pool(redis_settings(redis_url))
    service = BookingService(
        SITES,
        load_motives(),
        BookingStore(pool),
        lambda: booked_at,
        ArqReminderScheduler(pool, TZ, lambda: booked_at),
    )
    free = [s for s in await service.free_slots("lyon8", "caf") if s.start - booked_at > timedelta(days=2)]
    old = await service.book("sms-33633333333", "lyon8", "caf", free[0].start)
    due = [s for s in free if s.start.date() > free[0].start.date() and s.start < booked_at + timedelta(days=9)]
    new = await service.move("sms-33633333333", old.ref, due[0].start)
    await pool.close(close_connection_pool=True)
    sender = FakeSender()
    await run_fresh_worker(redis_url, sender, clock=booked_at + timedelta(days=1))
    assert len(sender.sent) == 1 and new.ref != old.ref
    assert str(new.start.astimezone(TZ).day) in sender.sent[0][1]
