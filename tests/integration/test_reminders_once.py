"""Reminders through a real arq worker and Redis: at most once, never at night (injected clocks)."""

from __future__ import annotations

import time as wall
from datetime import datetime, time, timedelta

import pytest
from arq.connections import ArqRedis, create_pool
from arq.constants import result_key_prefix

from bot.booking.models import Booking
from bot.booking.reminder_guard import ReminderRecord
from bot.booking.reminders import REMINDER_FUNCTION, REMINDER_QUEUE, reminder_job_id
from tests.integration.test_reminders_worker import (
    TZ,
    FakeSender,
    booking_service,
    free_slots_after_two_days,
    redis_settings,
    run_fresh_worker,
)


async def book_one(redis_url: str, user: str) -> Booking:
    """One booking made on a Monday at 10h in the recent past, starting at 9h or later two days after or more."""
    pool = await create_pool(redis_settings(redis_url))
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
    pool = await create_pool(redis_settings(redis_url))
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


@pytest.mark.xfail(
    reason="known defect, open on issue 10: the arq worker does not pick the postponed job within 30 s in this "
    "scenario; the night rule itself is covered by tests/unit (reminder_guard)",
    strict=False,
)
@pytest.mark.timeout(90)
async def test_reminder_due_at_night_is_postponed_to_8h_then_sent(redis_url: str) -> None:
    booking = await book_one(redis_url, "tg-4343")
    night = local(booking.start - timedelta(days=1), 23, 30)
    sender = FakeSender()
    await run_fresh_worker(redis_url, sender, clock=night, max_jobs=1)
    assert sender.sent == []
    pool = await create_pool(redis_settings(redis_url))
    try:
        score = await pool.zscore(REMINDER_QUEUE, reminder_job_id(booking.ref))
        assert score is not None, "the reminder must stay queued for the morning"
        delay = score / 1000 - wall.time()  # arq defers on its own clock by the delay we asked
        expected = (local(booking.start, 8) - night).total_seconds()
        assert abs(delay - expected) < 120
        assert await ReminderRecord(pool).get(booking.ref) is None
        await pool.zadd(REMINDER_QUEUE, {reminder_job_id(booking.ref): 0})  # the morning has come
    finally:
        await pool.close(close_connection_pool=True)
    morning = FakeSender()
    await run_fresh_worker(redis_url, morning, clock=local(booking.start, 8), max_jobs=1)
    assert [user for user, _ in morning.sent] == ["tg-4343"]
    assert "aujourd'hui" in morning.sent[0][1].lower()


@pytest.mark.timeout(90)
async def test_reminder_of_a_slot_already_passed_is_skipped(redis_url: str) -> None:
    booking = await book_one(redis_url, "sms-33655555555")
    sender = FakeSender()
    await run_fresh_worker(redis_url, sender, clock=booking.start + timedelta(minutes=10))
    assert sender.sent == []
