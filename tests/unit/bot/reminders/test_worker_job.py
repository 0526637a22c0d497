"""The arq worker runs the deadline pass: registered as a job and an every-minute cron, and a real arq Worker
(burst mode, real Redis) sends what is due at its injected clock, once even with two workers."""

from __future__ import annotations

import asyncio
from typing import Any

from arq.connections import RedisSettings, create_pool
from arq.worker import Worker

from bot.booking.jobs import SERIALIZERS
from bot.ops.worker import DEADLINE_FUNCTION, build_worker_settings, worker_functions
from bot.reminders.conversation import ReminderConversation
from bot.reminders.delivery import ReminderDelivery
from bot.reminders.programmes import Programme, Programmes
from bot.reminders.texts import reminder_text
from bot.settings import Settings

from .conftest import SMS_USER, paris
from .test_delivery import Recorder

QUEUE = "pimms:test:deadline-reminders"


def test_the_worker_runs_the_pass_every_minute() -> None:
    settings = build_worker_settings(Settings(redis_url="redis://127.0.0.1:6399/0"))
    assert DEADLINE_FUNCTION in {f.name for f in settings.functions}
    (cron,) = [c for c in settings.cron_jobs if c.name == "deadline-reminders"]
    assert cron.second == {0} and cron.minute is None and cron.run_at_startup


async def _burst(redis_url: str, sender: Recorder, rules: Programmes, moment: Any, jobs: int) -> None:
    pool = await create_pool(RedisSettings.from_dsn(redis_url), **SERIALIZERS)
    delivery = ReminderDelivery(pool, rules, sender, lambda: moment)
    workers = [
        Worker(
            functions=worker_functions(),
            queue_name=QUEUE,
            redis_pool=pool,
            burst=True,
            poll_delay=0.05,
            handle_signals=False,
            ctx={"deadlines": delivery},
            **SERIALIZERS,
        )
        for _ in range(2)
    ]
    try:
        for _ in range(jobs):
            await pool.enqueue_job(DEADLINE_FUNCTION, _queue_name=QUEUE)
        await asyncio.wait_for(asyncio.gather(*(w.main() for w in workers)), 30)
    finally:
        for worker in workers:
            await worker.close()


async def test_two_burst_workers_send_the_due_reminder_once(redis_url: str, client: Any, rules: Programmes) -> None:
    await ReminderConversation(client, rules, lambda: paris(2026, 12, 9, 10)).set_up(
        SMS_USER, Programme.ONE_OFF, "sms", day=paris(2026, 12, 15).date()
    )
    sender = Recorder()
    await _burst(redis_url, sender, rules, paris(2026, 12, 15, 8, 59), jobs=2)  # before 9:00: nothing
    assert sender.sent == []
    await _burst(redis_url, sender, rules, paris(2026, 12, 15, 9), jobs=2)
    assert sender.sent == [(SMS_USER, reminder_text("one_off", paris(2026, 12, 15).date()))]
