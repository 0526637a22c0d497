"""The resident's request for a person (``HandoffService.request``): queued, announced once, the texts to say."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import redis.asyncio as aioredis

from bot.activity import log as activity_kinds
from bot.activity.log import ActivityLog
from bot.handoff import messages
from bot.handoff.models import Reason, State
from bot.handoff.rasa_api import RasaApi
from bot.handoff.service import HandoffService
from bot.handoff.store import HandoffStore
from bot.handoff.triage import Triage, load_triage
from bot.handoff.waiting import ack_key
from tests.sites import fixture_sites
from tests.unit.bot.activity.scripted import Outbox

PARIS = ZoneInfo("Europe/Paris")
OPEN = datetime(2026, 12, 9, 10, 0, tzinfo=PARIS)  # a Wednesday morning: the counters are open
SMS, TG = "sms-33612345678", "tg-4243"


def service(client: aioredis.Redis) -> tuple[HandoffService, ActivityLog]:
    activity = ActivityLog(client, clock=lambda: OPEN.timestamp())
    store = HandoffStore(client, clock=lambda: OPEN.timestamp())
    api = RasaApi("http://127.0.0.1:9", "unused")  # a request never calls Rasa
    return HandoffService(store, api, Outbox(), activity, PARIS, sites=fixture_sites(), ack_interval=120), activity


async def test_a_request_is_queued_announced_and_answered_with_the_place_in_line(redis_url: str) -> None:
    client = aioredis.Redis.from_url(redis_url)
    handoffs, activity = service(client)
    first = await handoffs.request(SMS, Reason.REQUEST, OPEN, triage=Triage("", ["CAF"], "mon rsa", ""))
    assert first.record.state == State.WAITING and not first.record.urgent
    assert first.texts == tuple(messages.waiting_messages(1, fixture_sites().default(), OPEN, PARIS))
    saved = await load_triage(client, SMS)
    assert saved.themes == ["CAF"] and saved.site == fixture_sites().default().id  # no slot: the default site
    assert await client.ttl(ack_key(SMS)) > 0  # just told where they stand
    second = await handoffs.request(TG, Reason.REQUEST, OPEN)
    assert second.texts[0].startswith(messages.INTRO) and messages.position_text(2) in second.texts[0]
    again = await handoffs.request(SMS, Reason.REQUEST, OPEN)
    assert again.texts == (messages.already_waiting(1),)
    kinds = [e["kind"] for e in await activity.events(OPEN.timestamp() - 3600, OPEN.timestamp() + 3600)]
    assert kinds.count(activity_kinds.HANDOFF) == 2  # each new request counted once, the repeat not
    await client.close()


async def test_an_urgent_request_goes_first_with_the_urgent_intro(redis_url: str) -> None:
    client = aioredis.Redis.from_url(redis_url)
    handoffs, _ = service(client)
    await handoffs.request(SMS, Reason.REQUEST, OPEN)
    urgent = await handoffs.request(TG, Reason.URGENT, OPEN, urgent=True, triage=Triage(danger="violence"))
    assert urgent.record.urgent and urgent.texts[0].startswith(messages.INTRO_URGENT)
    assert await handoffs.store.position(TG) == 1
    await client.close()
