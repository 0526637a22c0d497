"""Reminder jobs travel through Redis as JSON; a pickled job is refused and never runs (issue 22, L11)."""

from __future__ import annotations

import asyncio
import json
import pickle
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import redis.asyncio as aioredis
from arq.connections import ArqRedis
from arq.constants import job_key_prefix
from arq.worker import Worker, func

from bot.booking.jobs import JobError, arq_pool, dumps, loads
from bot.booking.reminders import REMINDER_FUNCTION, REMINDER_QUEUE, ArqReminderScheduler, reminder_job_id
from bot.booking.requeue import requeue_reminders
from bot.ops.worker import build_worker_settings
from bot.settings import Settings
from tests.sites import SITES_FILE
from tests.unit.bot.booking.helpers import NOW, make_service

QUEUE = "pimms:test:jobs"


class Touch:
    """What an attacker would write: unpickling it creates ``path`` (it could as well run a shell)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __reduce__(self) -> tuple[Any, ...]:
        return (Path.touch, (self.path,))


def worker_for(redis_url: str, client: aioredis.Redis, calls: list[tuple[Any, ...]]) -> Worker:
    """A burst worker with the serializers of the real worker settings (`arq bot.ops.worker.WorkerSettings`)."""
    settings = build_worker_settings(Settings(redis_url=redis_url))

    async def record(ctx: dict[str, Any], *args: Any) -> str:
        calls.append(args)
        return "done"

    return Worker(
        functions=[func(record, name="record")],
        queue_name=QUEUE,
        redis_pool=ArqRedis(connection_pool=client.connection_pool),
        burst=True,
        poll_delay=0.05,
        handle_signals=False,
        job_serializer=getattr(settings, "job_serializer", None),
        job_deserializer=getattr(settings, "job_deserializer", None),
    )


async def test_a_job_round_trips_as_json(redis_url: str) -> None:
    client = aioredis.Redis.from_url(redis_url)
    try:
        job = await arq_pool(client).enqueue_job("record", "B-7QX2", 3, _job_id="j1", _queue_name=QUEUE)
        assert job is not None
        stored = json.loads(await client.get(job_key_prefix + "j1"))  # plain JSON in Redis, no pickle
        assert (stored["f"], stored["a"], stored["k"]) == ("record", ["B-7QX2", 3], {})
        calls: list[tuple[Any, ...]] = []
        worker = worker_for(redis_url, client, calls)
        await asyncio.wait_for(worker.main(), 20)
        await worker.close()
        assert calls == [("B-7QX2", 3)] and worker.jobs_complete == 1
    finally:
        await client.close()


async def test_a_pickled_job_is_refused_and_never_unpickled(redis_url: str, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    payload = pickle.dumps({"t": 1, "f": "record", "a": [Touch(marker)], "k": {}, "et": 0})
    client = aioredis.Redis.from_url(redis_url)
    try:
        await client.set(job_key_prefix + "evil", payload)
        await client.zadd(QUEUE, {"evil": 1})  # due long ago (arq skips a score of 0)
        calls: list[tuple[Any, ...]] = []
        worker = worker_for(redis_url, client, calls)
        await asyncio.wait_for(worker.main(), 20)
        await worker.close()
        assert not marker.exists()
        assert calls == [] and worker.jobs_failed == 1
    finally:
        await client.close()


def test_the_worker_settings_use_json() -> None:
    settings = build_worker_settings(Settings(redis_url="redis://127.0.0.1:1/0"))
    assert (settings.job_serializer, settings.job_deserializer) == (dumps, loads)  # type: ignore[attr-defined]


def test_a_failed_job_result_is_stored_as_text_and_read_back_as_an_error() -> None:
    data = loads(dumps({"r": ValueError("créneau pris"), "a": ("B-1",), "s": False}))
    assert isinstance(data["r"], JobError) and str(data["r"]) == "ValueError: créneau pris"
    assert data["a"] == ["B-1"]
    with pytest.raises(ValueError):
        loads(pickle.dumps({"f": "record"}))
    with pytest.raises(ValueError):
        loads(b"[1, 2]")
    with pytest.raises(TypeError):
        dumps({"a": [object()]})


async def test_the_reminder_scheduler_refuses_a_pickle_pool(redis_url: str) -> None:
    from bot.sites import load_sites

    client = aioredis.Redis.from_url(redis_url)
    try:
        tz = load_sites(SITES_FILE).tz
        with pytest.raises(ValueError, match="JSON"):
            ArqReminderScheduler(ArqRedis(connection_pool=client.connection_pool), tz, lambda: None)  # type: ignore[arg-type,return-value]
        ArqReminderScheduler(arq_pool(client), tz, lambda: None)  # type: ignore[arg-type,return-value]
        assert REMINDER_QUEUE
    finally:
        await client.close()


async def test_reminders_queued_as_pickle_before_the_upgrade_are_rewritten_as_json(redis_url: str) -> None:
    service, client = make_service(redis_url)
    try:
        offers = await service.offers("vaulx", "caf", after=(NOW + timedelta(days=4)).date())
        booking = await service.book("sms-33612345678", "vaulx", "caf", offers[0].start)
        cancelled = await service.book("tg-4242", "vaulx", "caf", offers[1].start)
        await service.cancel("tg-4242", cancelled.ref)
        job = job_key_prefix + reminder_job_id(booking.ref)
        due = await client.zscore(REMINDER_QUEUE, reminder_job_id(booking.ref))
        # What arq 0.28's default wrote before the upgrade.
        await client.set(job, pickle.dumps({"t": 1, "f": REMINDER_FUNCTION, "a": (booking.ref,), "k": {}, "et": 1}))
        assert service.reminders is not None
        pool = arq_pool(client)
        count = await requeue_reminders(service.store, service.reminders, pool, ["vaulx", "lyon8"])  # type: ignore[arg-type]
        assert count == 1  # the cancelled booking has no queued reminder: left alone
        assert json.loads(await client.get(job))["a"] == [booking.ref]
        assert await client.zscore(REMINDER_QUEUE, reminder_job_id(booking.ref)) == due
        assert await client.zscore(REMINDER_QUEUE, reminder_job_id(cancelled.ref)) is None
    finally:
        await client.close()
