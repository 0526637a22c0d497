"""arq worker for appointment reminders: ``arq bot.ops.worker.WorkerSettings``.

``WorkerSettings`` is built on first access (module ``__getattr__``), so importing this module reads
no environment and opens no connection.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from arq import Retry
from arq.cron import cron
from arq.worker import func

from bot import wiring
from bot.booking.jobs import SERIALIZERS
from bot.booking.motives import MotiveCatalog
from bot.booking.reminder_guard import ReminderRecord
from bot.booking.reminders import REMINDER_FUNCTION, REMINDER_QUEUE, Postpone, Sender, deliver_reminder
from bot.booking.store import BookingStore
from bot.privacy.sweep import sweep_job
from bot.redis_connect import arq_settings
from bot.reminders.delivery import ReminderDelivery
from bot.reminders.programmes import load_programmes
from bot.settings import Settings
from bot.sites import SiteDirectory

log = logging.getLogger(__name__)


@dataclass
class ReminderDeps:
    """What the reminder job needs; put in the worker context under ``"booking"``."""

    store: BookingStore
    sites: SiteDirectory
    catalog: MotiveCatalog
    sender: Sender
    now: Callable[[], datetime]


async def send_booking_reminder(ctx: dict[str, Any], ref: str) -> bool:
    """arq job: deliver the reminder of booking ``ref`` at most once, postponed out of the night.

    A failed send is recorded and not retried (the outbound layer already retried it and keeps it
    in the dead-letter list): retrying here could send it twice.
    """
    deps: ReminderDeps = ctx["booking"]
    from bot.outbound import DeliveryError, UndeliverableError

    now = deps.now()
    try:
        return await deliver_reminder(
            ref, deps.store, deps.sites, deps.catalog, deps.sender, now, ReminderRecord(ctx["redis"])
        )
    except Postpone as later:
        delay = max((later.until - now).total_seconds(), 1.0)
        log.info("reminder %s postponed to %s (night)", ref, later.until.isoformat())
        raise Retry(defer=delay) from None
    except UndeliverableError:
        log.warning("reminder %s: no channel reaches this user", ref)
        return False
    except DeliveryError:
        log.error("reminder %s not delivered (recorded as failed)", ref)
        return False


DEADLINE_FUNCTION = "send_deadline_reminders"


async def send_deadline_reminders(ctx: dict[str, Any]) -> int:
    """arq job (a cron every minute, or enqueued): send the deadline reminders residents asked for that are due
    at the worker's clock (``bot.reminders.delivery``); how many were sent."""
    delivery: ReminderDelivery | None = ctx.get("deadlines")
    if delivery is None:  # a worker built by a test with the booking reminders only
        return 0
    report = await delivery.run()
    if report.sent:
        log.info("deadline reminders: %d sent to %d residents looked at", len(report.sent), report.residents)
    return len(report.sent)


async def startup(ctx: dict[str, Any]) -> None:
    """Build the real dependencies (settings, sites, motives, outbound router) unless injected."""
    if "booking" in ctx:
        return
    from bot.outbound import build_outbound

    settings = Settings.from_env()
    client = ctx["redis"]
    sender = build_outbound(settings, client)
    now = wiring.clock(settings)
    ctx["booking"] = ReminderDeps(
        store=wiring.booking_store(settings, client),
        sites=wiring.sites(settings),
        catalog=wiring.motives(),
        sender=sender,
        now=now,
    )
    ctx["deadlines"] = ReminderDelivery(
        client, load_programmes(), sender, now, wiring.activity_log(settings, client, now)
    )


def worker_functions() -> list[Any]:
    """The jobs this worker runs."""
    return [
        func(send_booking_reminder, name=REMINDER_FUNCTION, max_tries=5),
        func(send_deadline_reminders, name=DEADLINE_FUNCTION, max_tries=1),
    ]


def build_worker_settings(settings: Settings | None = None) -> type:
    """The arq settings class for the reminders queue on ``settings.redis_url``."""
    settings = settings or Settings.from_env()
    redis_settings = arq_settings(settings)
    return type(
        "WorkerSettings",
        (),
        {
            "functions": worker_functions(),
            "queue_name": REMINDER_QUEUE,
            "redis_settings": redis_settings,
            "on_startup": startup,
            # Entries of shared keys past their stated age (dead letters: 30 days), even when nothing is written.
            "cron_jobs": [
                cron(sweep_job, name="sweep-shared-keys", minute={5, 35}, run_at_startup=True),
                # deadline reminders: every minute (the job reads the injected clock; claims make it safe to overlap)
                cron(send_deadline_reminders, name="deadline-reminders", second={0}, run_at_startup=True),
            ],
            "keep_result": 3600,
            **SERIALIZERS,  # JSON, not pickle: a job written into Redis cannot run code here (L11)
        },
    )


def __getattr__(name: str) -> Any:
    if name == "WorkerSettings":
        return build_worker_settings()
    raise AttributeError(name)
