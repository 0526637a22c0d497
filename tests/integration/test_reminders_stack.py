"""Deadline reminders on the running stack, over SMS and Telegram (issue 24).

A resident opts in with plain words and OUI; a real arq worker (the stack's own job functions, on the stack's
Redis, with the outbound router to the fake Twilio and Telegram servers) runs at simulated moments computed from
the stack's pinned clock: nothing just before the reminder's moment, the reminder at it, once; FAIT silences the
last call; RAPPELS lists, STOP RAPPEL 1 / STOP RAPPELS stop them without opting out of everything; the export
holds the consent record. The worker gets its own queue so the stack's worker never takes its jobs.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime, timedelta
from typing import Any

import pytest
import redis.asyncio as aioredis
from arq.connections import RedisSettings, create_pool
from arq.worker import Worker

from bot.booking.jobs import SERIALIZERS
from bot.booking.store import BookingStore
from bot.ops.worker import DEADLINE_FUNCTION, worker_functions
from bot.optout import OptOutStore
from bot.outbound import build_outbound
from bot.privacy.export import Exporter
from bot.reminders import texts
from bot.reminders.delivery import ReminderDelivery
from bot.reminders.models import Occurrence
from bot.reminders.policy import next_allowed
from bot.reminders.programmes import load_programmes
from bot.reminders.schedule import occurrences
from bot.reminders.store import ReminderStore
from bot.reminders.texts import day_text, reminder_text
from bot.sms.gsm import transliterate
from tests.integration.test_privacy_stack import settings_of, sms, telegram

pytestmark = pytest.mark.stack
RULES = load_programmes()


async def _worker_pass(stack: Any, moment: datetime) -> None:
    """One pass of a fresh arq worker whose clock reads ``moment`` (burst mode: it stops when the queue is empty)."""
    settings = settings_of(stack)
    queue = f"pimms:test:reminders:{uuid.uuid4().hex[:8]}"
    redis_settings = RedisSettings.from_dsn(stack.redis_url)
    pool = await create_pool(redis_settings, **SERIALIZERS)
    client = aioredis.Redis.from_url(stack.redis_url)
    delivery = ReminderDelivery(client, RULES, build_outbound(settings, client), lambda: moment)
    worker = Worker(
        functions=worker_functions(),
        queue_name=queue,
        redis_pool=pool,
        burst=True,
        poll_delay=0.05,
        handle_signals=False,
        ctx={"deadlines": delivery},
        keep_result=1,
        health_check_key="pimms:booking:reminders:health-check",  # a registered key (bot/privacy/keys.yml)
        **SERIALIZERS,
    )
    try:
        assert await pool.enqueue_job(DEADLINE_FUNCTION, _queue_name=queue) is not None
        await asyncio.wait_for(worker.main(), 30)
    finally:
        await worker.close()
        await client.close(close_connection_pool=True)


def worker_pass(stack: Any, moment: datetime) -> None:
    asyncio.run(_worker_pass(stack, moment))


async def _occurrences(stack: Any, sender_id: str, days: int) -> list[Occurrence]:
    client = aioredis.Redis.from_url(stack.redis_url)
    try:
        (sub,) = await ReminderStore(client).subscriptions(sender_id)
    finally:
        await client.close(close_connection_pool=True)
    now = stack.clock.now()
    return occurrences(sub, RULES, now - timedelta(days=40), now + timedelta(days=days))


async def _export(stack: Any, sender_id: str) -> dict[str, Any]:
    client = aioredis.Redis.from_url(stack.redis_url)
    try:
        return await Exporter(client, BookingStore(client), 90).export(sender_id, stack.clock.now())
    finally:
        await client.close(close_connection_pool=True)


async def _opted_out(stack: Any, sender_id: str) -> bool:
    client = aioredis.Redis.from_url(stack.redis_url)
    try:
        return await OptOutStore(client).is_opted_out(sender_id)
    finally:
        await client.close(close_connection_pool=True)


@pytest.mark.timeout(90)
def test_sms_actualisation_reminder_fait_list_and_stop(stack: Any, fake_twilio: Any) -> None:
    phone, sender = "+33612340024", "sms-33612340024"
    sms(stack, fake_twilio, phone, "bonjour")
    (offer,) = sms(stack, fake_twilio, phone, "prévenez-moi pour l'actualisation")
    assert "Répondez OUI" in offer and "France Travail" in offer
    assert sms(stack, fake_twilio, phone, "OUI") == [texts.render(texts.SUBSCRIBED)]
    # every reminder of the subscription due in the coming weeks, at its first allowed moment
    due = [o for o in asyncio.run(_occurrences(stack, sender, 62)) if o.due >= stack.clock.now()]
    opening = next(i for i, o in enumerate(due) if o.kind == "actualisation_open")
    last_call = next(o for o in due[opening:] if o.kind == "actualisation_last_call")
    for occ in due[: opening + 1]:
        moment = next_allowed(occ.due)
        before = len(fake_twilio.bodies_to(phone))
        worker_pass(stack, moment - timedelta(minutes=1))  # just before: nothing
        assert len(fake_twilio.bodies_to(phone)) == before
        worker_pass(stack, moment)
        worker_pass(stack, moment + timedelta(minutes=1))  # a restarted worker: not twice
        assert fake_twilio.bodies_to(phone)[before:] == [transliterate(reminder_text(occ.kind, occ.ends))]
    assert sms(stack, fake_twilio, phone, "FAIT") == [texts.render(texts.DONE_ACK)]
    before = len(fake_twilio.bodies_to(phone))
    worker_pass(stack, next_allowed(last_call.due))  # the last call of a month answered FAIT: silent
    assert len(fake_twilio.bodies_to(phone)) == before
    (listed,) = sms(stack, fake_twilio, phone, "RAPPELS")
    assert "1. démarche mensuelle France Travail" in listed and "STOP RAPPEL 1" in listed
    assert sms(stack, fake_twilio, phone, "MES DONNEES")[-1] == texts.data_notice(1)
    assert sms(stack, fake_twilio, phone, "STOP RAPPELS") == [texts.render(texts.STOPPED_ALL)]
    assert not asyncio.run(_opted_out(stack, sender))  # STOP RAPPELS is not STOP
    assert sms(stack, fake_twilio, phone, "RAPPELS") == [texts.NONE_ACTIVE]
    # MES DONNEES / the export: the consent record (when, programme, exact text accepted, channel) and the stop
    export = asyncio.run(_export(stack, sender))
    (section,) = [s for s in export["rubriques"] if s["rubrique"] == "Rappels"]
    consent, stop = section["contenu"]["accords_et_arrets"]
    assert (consent["event"], consent["programme"], consent["channel"]) == ("consent", "actualisation", "sms")
    assert consent["text"].startswith("Voulez-vous un rappel chaque mois") and stop["event"] == "stop"


@pytest.mark.timeout(90)
def test_telegram_date_reminder_list_and_stop_one(stack: Any, fake_telegram: Any) -> None:
    chat_id, sender = 2400024, "tg-2400024"
    day = stack.clock.now().date() + timedelta(days=10)
    telegram(stack, fake_telegram, chat_id, "bonjour")
    (offer,) = telegram(stack, fake_telegram, chat_id, f"rappelez-moi le {day_text(day)} pour la préfecture")
    assert transliterate(day_text(day)) in offer["text"] and "Répondez OUI" in offer["text"]
    assert telegram(stack, fake_telegram, chat_id, "oui")[0]["text"] == texts.render(texts.SUBSCRIBED)
    (occ,) = asyncio.run(_occurrences(stack, sender, 30))
    moment = next_allowed(occ.due)

    def received() -> list[str]:
        return [m["text"] for m in fake_telegram.messages if m.get("chat_id") == chat_id]

    before = len(received())
    worker_pass(stack, moment - timedelta(minutes=1))
    assert len(received()) == before
    worker_pass(stack, moment)
    assert received()[before:] == [reminder_text("one_off", day)]
    (listed,) = telegram(stack, fake_telegram, chat_id, "RAPPELS")
    assert transliterate(f"1. rappel à une date : le {day_text(day)}") in listed["text"]
    assert telegram(stack, fake_telegram, chat_id, "STOP RAPPEL 1")[0]["text"] == texts.render(texts.STOPPED_ONE)
    assert telegram(stack, fake_telegram, chat_id, "mes rappels")[0]["text"] == texts.NONE_ACTIVE
    assert not asyncio.run(_opted_out(stack, sender))
