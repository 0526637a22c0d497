"""The store on real Redis: claims once, respects caps, never after a stop, FAIT, erasure; consents exported."""

from __future__ import annotations

import asyncio
from datetime import date

import redis.asyncio as aioredis

from bot.optout import OptOutStore
from bot.privacy.keys import spec_for
from bot.privacy.retention import check_retention
from bot.reminders.programmes import Programme, Programmes
from bot.reminders.schedule import occurrences
from bot.reminders.store import ReminderStore, consents_key, done_key, sent_key, subs_key
from bot.settings import Settings

from .conftest import SMS_USER, make, paris

NOW = paris(2027, 1, 28, 10)  # a Thursday


async def test_an_occurrence_is_claimed_once_even_by_two_workers(client: aioredis.Redis, rules: Programmes) -> None:
    store = ReminderStore(client)
    sub = make(rules, Programme.ACTUALISATION, paris(2027, 1, 10, 10))
    await store.subscribe(sub)
    (occ, *_) = occurrences(sub, rules, paris(2027, 1, 28), paris(2027, 1, 29))
    other = ReminderStore(aioredis.Redis(connection_pool=client.connection_pool))
    results = await asyncio.gather(store.claim(SMS_USER, occ, NOW), other.claim(SMS_USER, occ, NOW))
    assert sorted(results) == ["duplicate", "sent"]


async def test_caps_one_a_day(client: aioredis.Redis, rules: Programmes) -> None:
    store = ReminderStore(client)
    act = make(rules, Programme.ACTUALISATION, paris(2027, 1, 10, 10), ident="a")
    one = make(rules, Programme.ONE_OFF, paris(2027, 1, 10, 10), day=date(2027, 1, 28), ident="b")
    for sub in (act, one):
        await store.subscribe(sub)
    first = occurrences(act, rules, paris(2027, 1, 28), paris(2027, 1, 29))[0]
    second = occurrences(one, rules, paris(2027, 1, 28), paris(2027, 1, 29))[0]
    assert await store.claim(SMS_USER, first, NOW) == "sent"
    assert await store.claim(SMS_USER, second, paris(2027, 1, 28, 11)) == "cap_day"


async def test_nothing_after_stop_all_and_stop_one_by_number(client: aioredis.Redis, rules: Programmes) -> None:
    store = ReminderStore(client)
    act = make(rules, Programme.ACTUALISATION, paris(2027, 1, 10, 10), ident="a")
    qua = make(rules, Programme.QUARTERLY, paris(2027, 1, 10, 11), months=(2, 5, 8, 11), ident="q")
    for sub in (act, qua):
        await store.subscribe(sub)
    stopped = await store.stop(SMS_USER, 2, NOW, "sms")
    assert stopped is not None and stopped.id == "q"
    assert [s.id for s in await store.active(SMS_USER, NOW.date())] == ["a"]
    assert await store.stop_all(SMS_USER, NOW, "sms") == 1
    occ = occurrences(act, rules, paris(2027, 1, 28), paris(2027, 1, 29))[0]
    assert await store.claim(SMS_USER, occ, NOW) == "stopped"
    events = [(e["event"], e["subscription"]) for e in await store.consent_log(SMS_USER)]
    assert events == [("consent", "a"), ("consent", "q"), ("stop", "q"), ("stop", "a")]


async def test_fait_silences_the_last_call_only(client: aioredis.Redis, rules: Programmes) -> None:
    store = ReminderStore(client)
    sub = make(rules, Programme.ACTUALISATION, paris(2027, 1, 10, 10))
    await store.subscribe(sub)
    found = occurrences(sub, rules, paris(2027, 1, 28), paris(2027, 2, 27))
    opening, last_call = found[0], found[1]
    await store.mark_done(SMS_USER, sub.id, opening.period)
    assert last_call.kind == "actualisation_last_call"
    assert await store.claim(SMS_USER, last_call, paris(2027, 2, 12, 9)) == "done"
    assert await store.claim(SMS_USER, opening, NOW) == "sent"


async def test_every_key_expires_and_is_registered(client: aioredis.Redis, rules: Programmes) -> None:
    store = ReminderStore(client)
    sub = make(rules, Programme.ACTUALISATION, paris(2027, 1, 10, 10))
    await store.subscribe(sub)
    await store.mark_done(SMS_USER, sub.id, "2027-01")
    await store.claim(SMS_USER, occurrences(sub, rules, paris(2027, 1, 28), paris(2027, 1, 29))[0], NOW)
    for key in (subs_key(SMS_USER), consents_key(SMS_USER), sent_key(SMS_USER), done_key(SMS_USER)):
        assert await client.ttl(key) > 0, key
        spec = spec_for(key)
        assert spec is not None and spec.per_sender, key


async def test_the_retention_check_accepts_a_year_of_reminders(client: aioredis.Redis, rules: Programmes) -> None:
    store = ReminderStore(client)
    consent = paris(2027, 1, 10, 10)
    far = make(rules, Programme.ONE_OFF, consent, day=date(2028, 1, 9), ident="far")
    await store.subscribe(far)
    await store.mark_done(SMS_USER, far.id, "x")
    await store.claim(SMS_USER, occurrences(far, rules, consent, paris(2028, 2, 1))[0], paris(2028, 1, 8, 10))
    # as the retention check sees it on the day of the consent (TTLs count from the real clock of Redis)
    assert await check_retention(client, Settings(retention_days=90)) == []
    assert await client.ttl(subs_key(SMS_USER)) <= 400 * 24 * 3600


async def test_stop_stops_reminders_too(client: aioredis.Redis, rules: Programmes) -> None:
    store = ReminderStore(client)
    sub = make(rules, Programme.ACTUALISATION, paris(2027, 1, 10, 10))
    await store.subscribe(sub)
    await OptOutStore(client).opt_out(SMS_USER)
    occ = occurrences(sub, rules, paris(2027, 1, 28), paris(2027, 1, 29))[0]
    assert await store.claim(SMS_USER, occ, NOW) == "opted_out"
