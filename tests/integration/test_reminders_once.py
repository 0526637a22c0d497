"""Reminders through a real arq worker and Redis: at most once, never at night (injected clocks)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from arq.connections import ArqRedis
from arq.constants import result_key_prefix

from bot.booking.jobs import create_arq_pool
from bot.booking.models import Booking
from bot.booking.reminder_guard import ReminderRecord
from bot.booking.reminders import REMINDER_FUNCTION, REMINDER_QUEUE, reminder_job_id
from tests.integration.test_reminders_worker import (
    TZ,
    FakeSender,
    booking_moment,
    booking_service,
    free_slots_after_two_days,
    redis_settings,
    run_fresh_worker,
)


async def book_one(redis_url: str, user: str) -> Booking:
    """One booking made on a Monday at 10h in the recent past, starting at 9h or later two days after or more."""
    pool = await create_arq_pool(redis_settings(redis_url))
    service = booking_service(pool)
    slot = next(s for s in await free_slots_after_two_days(service) if s.start.astimezone(TZ).hour >= 9)
    booking = await service.book(user, "lyon8", "caf", slot.start)
    await pool.close(close_connection_pool=True)
    return booking


def local(day: datetime, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day.astimezone(TZ).date(), time(hour, minute), tzinfo=TZ)


async def requeue_now(pool: ArqRedis, ref: str) -> None:
    """What arq does after a worker died during the job: the same job runs again."""
    job_id = reminder_job_id(ref)
    await pool.delete(result_key_prefix + job_id)
    job = await pool.enqueue_job(REMINDER_FUNCTION, ref, _job_id=job_id, _queue_name=REMINDER_QUEUE)
    assert job is not None


@pytest.mark.timeout(90)
async def test_reminder_run_again_after_a_crash_is_not_sent_twice(redis_url: str) -> None:
    booking = await book_one(redis_url, "sms-33644444444")
    evening = local(booking.start - timedelta(days=1), 18, 5)
    first = FakeSender()
    await run_fresh_worker(redis_url, first, clock=evening)
    assert len(first.sent) == 1
    pool = await create_arq_pool(redis_settings(redis_url))
    try:
        await requeue_now(pool, booking.ref)
        second = FakeSender()
        await run_fresh_worker(redis_url, second, clock=evening + timedelta(minutes=1))
        assert second.sent == []
        record = await ReminderRecord(pool).get(booking.ref)
        assert record is not None and record["state"] == "sent"
        assert 0 < await pool.ttl(ReminderRecord.key(booking.ref))
    finally:
        await pool.close(close_connection_pool=True)


class ArqClock:
    """arq reads the wall clock to pick due jobs and to defer retries (``arq.utils.timestamp_ms``, no parameter).

    Patched where the worker and the pool read it, so that arq and the reminder job share one injected clock: a
    job postponed at 23:30 becomes due at 08:00 of that clock, not 8.5 hours later in real time.
    """

    def __init__(self, monkeypatch: pytest.MonkeyPatch, moment: datetime) -> None:
        self.moment = moment
        monkeypatch.setattr("arq.worker.timestamp_ms", self.ms)
        monkeypatch.setattr("arq.connections.timestamp_ms", self.ms)

    def ms(self) -> int:
        return int(self.moment.timestamp() * 1000)


@pytest.mark.timeout(90)
async def test_reminder_due_at_night_is_postponed_to_8h_then_sent(
    redis_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = ArqClock(monkeypatch, booking_moment())
    booking = await book_one(redis_url, "tg-4343")
    job_id, morning = reminder_job_id(booking.ref), local(booking.start, 8)

    clock.moment = local(booking.start - timedelta(days=1), 23, 30)  # the worker was down at 18h
    night = FakeSender()
    await run_fresh_worker(redis_url, night, clock=clock.moment, max_jobs=1)
    assert night.sent == []
    pool = await create_arq_pool(redis_settings(redis_url))
    try:
        assert await pool.zscore(REMINDER_QUEUE, job_id) == morning.timestamp() * 1000  # queued for 08:00
        assert await ReminderRecord(pool).get(booking.ref) is None
    finally:
        await pool.close(close_connection_pool=True)

    clock.moment = morning
    sent = FakeSender()
    await run_fresh_worker(redis_url, sent, clock=clock.moment, max_jobs=1)
    assert [user for user, _ in sent.sent] == ["tg-4343"]
    assert "aujourd'hui" in sent.sent[0][1].lower()

    clock.moment = morning + timedelta(minutes=5)
    again = FakeSender()
    await run_fresh_worker(redis_url, again, clock=clock.moment)  # burst: returns once the queue is empty
    assert again.sent == []  # exactly once
    pool = await create_arq_pool(redis_settings(redis_url))
    try:
        assert await pool.zscore(REMINDER_QUEUE, job_id) is None
        record = await ReminderRecord(pool).get(booking.ref)
        assert record is not None and record["state"] == "sent" and record["at"] == morning.isoformat()
    finally:
        await pool.close(close_connection_pool=True)


@pytest.mark.timeout(90)
async def test_reminder_of_a_slot_already_passed_is_skipped(redis_url: str) -> None:
    booking = await book_one(redis_url, "sms-33655555555")
    sender = FakeSender()
    await run_fresh_worker(redis_url, sender, clock=booking.start + timedelta(minutes=10))
    assert sender.sent == []
