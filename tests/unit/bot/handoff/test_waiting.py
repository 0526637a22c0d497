"""Messages of paused conversations, through the real outbound router, fake Twilio / Telegram, real Redis:
danger answered and escalated whatever the state, waiting residents acknowledged at most once per interval,
silence once a mediator holds the conversation."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import redis.asyncio as aioredis

from bot.danger_texts import danger_texts
from bot.handoff.models import Reason, State
from bot.handoff.store import HandoffStore
from bot.handoff.waiting import STATUS_INTERVAL, Outcome, WaitingGate, ack_key, hold_acknowledgements, status_key
from bot.outbound import build_outbound
from bot.sites import load_sites
from tests.sites import SITES_FILE
from tests.unit.bot.test_outbound import make_settings

PARIS = ZoneInfo("Europe/Paris")
TUESDAY_10H = datetime(2026, 12, 1, 10, 0, tzinfo=PARIS).timestamp()
SATURDAY_23H = datetime(2026, 12, 5, 23, 0, tzinfo=PARIS).timestamp()
SMS, TG = "sms-33612345678", "tg-4242"


def gate_for(client: aioredis.Redis, fake_twilio, fake_telegram, now: float, cap: int = 30) -> WaitingGate:
    router = build_outbound(make_settings(fake_twilio.base_url, fake_telegram.base_url, cap=cap), client)
    sites = load_sites(SITES_FILE)
    return WaitingGate(client, router, sites.default, PARIS, ack_interval=300, clock=lambda: now)


def test_every_danger_kind_has_its_emergency_text() -> None:
    assert "3114" in danger_texts("suicide")[0]
    assert "3919" in danger_texts("violence")[0]
    assert "119" in danger_texts("child")[0] and "115" in danger_texts("shelter")[0]
    assert "15" in danger_texts("medical")[0]


async def test_danger_while_waiting_is_answered_and_raised_to_urgent(redis_url: str, fake_twilio, fake_telegram):
    client = aioredis.Redis.from_url(redis_url)
    store = HandoffStore(client, clock=lambda: TUESDAY_10H)
    await store.request("sms-33600000001", reason=Reason.REQUEST)  # someone waiting longer
    await store.request(SMS, reason=Reason.REQUEST)
    gate = gate_for(client, fake_twilio, fake_telegram, TUESDAY_10H)
    result = await gate.before_turn(SMS, "j'ai envie de mourir")
    assert result.outcome == Outcome.DANGER
    assert fake_twilio.bodies_to("+33612345678")[0].startswith("Appelez maintenant le 3114")
    record = await store.get(SMS)
    assert record.urgent and record.reason == Reason.URGENT and record.state == State.WAITING
    assert record.history[-1].action == "escalate"
    assert await store.position(SMS) == 1  # first in the queue now
    await client.close()


async def test_danger_while_held_by_a_mediator_still_gets_the_numbers(redis_url: str, fake_twilio, fake_telegram):
    client = aioredis.Redis.from_url(redis_url)
    store = HandoffStore(client, clock=lambda: TUESDAY_10H)
    await store.request(TG)
    await store.claim(TG, "alice")
    gate = gate_for(client, fake_twilio, fake_telegram, TUESDAY_10H, cap=0)  # even past the daily cap
    assert (await gate.before_turn(TG, "mon conjoint me bat")).outcome == Outcome.DANGER
    assert "3919" in fake_telegram.messages[-1]["text"] and fake_telegram.messages[-1]["chat_id"] == 4242
    record = await store.get(TG)
    assert record.urgent and record.state == State.WITH_MEDIATOR and record.mediator == "alice"
    assert (await gate.before_turn(TG, "vous êtes là ?")).outcome == Outcome.WITH_MEDIATOR
    assert len(fake_telegram.messages) == 1  # silence while a mediator holds it
    await client.close()


async def test_waiting_resident_is_acknowledged_once_per_interval(redis_url: str, fake_twilio, fake_telegram):
    client = aioredis.Redis.from_url(redis_url)
    store = HandoffStore(client, clock=lambda: TUESDAY_10H)
    await store.request(SMS)
    gate = gate_for(client, fake_twilio, fake_telegram, TUESDAY_10H)
    first = await gate.before_turn(SMS, "j'ai un courrier de la caf")
    assert first.outcome == Outcome.ACKNOWLEDGED
    body = fake_twilio.bodies_to("+33612345678")[0]
    assert body.startswith("Votre message est bien recu.") and "prochain" in body and len(body) <= 160
    assert (await gate.before_turn(SMS, "c'est pour mon rsa")).outcome == Outcome.QUIET
    assert (await gate.before_turn(SMS, "annuler")).outcome == Outcome.QUIET
    assert len(fake_twilio.messages) == 1
    assert 0 < await client.ttl(ack_key(SMS)) <= 300
    await client.delete(ack_key(SMS))  # what Redis does when the interval is over
    assert (await gate.before_turn(SMS, "voila")).outcome == Outcome.ACKNOWLEDGED
    assert (await gate.before_turn("sms-33699999999", "bonjour")).outcome == Outcome.NOT_HELD
    await client.close()


async def test_acknowledgement_says_when_mediators_are_back(redis_url: str, fake_twilio, fake_telegram):
    client = aioredis.Redis.from_url(redis_url)
    await HandoffStore(client, clock=lambda: SATURDAY_23H).request(TG)
    gate = gate_for(client, fake_twilio, fake_telegram, SATURDAY_23H)
    assert (await gate.before_turn(TG, "c'est pour la caf")).outcome == Outcome.ACKNOWLEDGED
    assert fake_telegram.messages[-1]["text"] == (
        "Votre message est bien reçu. Les médiateurs sont absents. Ils vous répondront ici lundi 7 décembre à 9h."
    )
    await client.delete(status_key(TG))
    assert (await gate.before_turn(TG, "y a quelqu'un ?")).outcome == Outcome.ACKNOWLEDGED
    assert fake_telegram.messages[-1]["text"] == (
        "Vous êtes le prochain dans la file d'attente. Les médiateurs sont absents : "
        "ils vous répondront ici lundi 7 décembre à 9h."
    )
    await client.close()


async def test_no_acknowledgement_right_after_the_waiting_messages(redis_url: str, fake_twilio, fake_telegram):
    client = aioredis.Redis.from_url(redis_url)
    await HandoffStore(client, clock=lambda: TUESDAY_10H).request(SMS)
    await hold_acknowledgements(client, SMS, 300)
    gate = gate_for(client, fake_twilio, fake_telegram, TUESDAY_10H)
    assert (await gate.before_turn(SMS, "ok merci")).outcome == Outcome.QUIET
    assert fake_twilio.messages == []
    await client.close()


async def test_a_direct_question_always_gets_the_place_in_the_queue_once_a_minute(
    redis_url: str, fake_twilio, fake_telegram
):
    client = aioredis.Redis.from_url(redis_url)
    store = HandoffStore(client, clock=lambda: TUESDAY_10H)
    await store.request("sms-33600000001")  # someone waiting longer
    await store.request(SMS)
    await hold_acknowledgements(client, SMS, 300)  # just told where they stand: ordinary messages stay quiet
    gate = gate_for(client, fake_twilio, fake_telegram, TUESDAY_10H)
    assert (await gate.before_turn(SMS, "ok")).outcome == Outcome.QUIET
    asked = await gate.before_turn(SMS, "ça va être long ?")
    assert asked.outcome == Outcome.ACKNOWLEDGED
    assert asked.said == ["Vous êtes n°2 dans la file d'attente. Un médiateur vous répond ici dès que possible."]
    assert (await gate.before_turn(SMS, "y a quelqu'un ?")).outcome == Outcome.QUIET  # not twice a minute
    assert 0 < await client.ttl(status_key(SMS)) <= STATUS_INTERVAL
    await client.delete(status_key(SMS))  # a minute later
    assert (await gate.before_turn(SMS, "allo ??")).outcome == Outcome.ACKNOWLEDGED
    assert (await gate.before_turn(SMS, "bon")).outcome == Outcome.QUIET  # the acknowledgement interval holds
    assert len(fake_twilio.bodies_to("+33612345678")) == 2
    await client.close()


async def test_a_withdrawal_in_plain_words_is_left_to_the_watcher(redis_url: str, fake_twilio, fake_telegram):
    client = aioredis.Redis.from_url(redis_url)
    await HandoffStore(client, clock=lambda: TUESDAY_10H).request(SMS)
    gate = gate_for(client, fake_twilio, fake_telegram, TUESDAY_10H)
    assert (await gate.before_turn(SMS, "laissez tomber, c'est réglé")).outcome == Outcome.QUIET
    assert fake_twilio.messages == []  # the watcher cancels the wait and says so
    await client.close()


async def test_danger_while_waiting_is_answered_in_the_resident_language(redis_url: str, fake_twilio, fake_telegram):
    client = aioredis.Redis.from_url(redis_url)
    await HandoffStore(client, clock=lambda: TUESDAY_10H).request(SMS, reason=Reason.REQUEST)
    gate = gate_for(client, fake_twilio, fake_telegram, TUESDAY_10H)
    result = await gate.before_turn(SMS, "my husband hits me", language="en")
    assert result.outcome == Outcome.DANGER
    assert fake_twilio.bodies_to("+33612345678")[0] == danger_texts("violence", language="en")[0]
    assert (await HandoffStore(client).get(SMS)).urgent
