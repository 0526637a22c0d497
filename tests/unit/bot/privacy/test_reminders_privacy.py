"""Reminders and privacy: EFFACER removes subscriptions and consents (nothing sent after), the export shows them."""

from __future__ import annotations

from datetime import datetime

from bot.clock import PARIS
from bot.privacy.export import Exporter
from bot.reminders.consent import subscribe
from bot.reminders.models import Subscription
from bot.reminders.programmes import Programme, load_programmes
from bot.reminders.schedule import occurrences
from bot.reminders.store import ReminderStore

from .conftest import NOW, SMS_USER, World, keys_naming


async def subscribed(world: World) -> Subscription:
    rules = load_programmes()
    sub = subscribe(SMS_USER, Programme.ACTUALISATION, "sms", NOW, rules, new_id=lambda: "r1")
    assert isinstance(sub, Subscription)
    await ReminderStore(world.redis).subscribe(sub)
    return sub


async def test_erasure_removes_reminders_and_nothing_is_sent_after(world: World) -> None:
    sub = await subscribed(world)
    store = ReminderStore(world.redis)
    assert await keys_naming(world.redis, SMS_USER)
    await world.eraser.erase(SMS_USER)
    assert await keys_naming(world.redis, SMS_USER) == []
    rules = load_programmes()
    occ = occurrences(sub, rules, NOW, datetime(2027, 1, 1, tzinfo=PARIS))[0]
    assert await store.claim(SMS_USER, occ, occ.due.replace(hour=10)) == "stopped"


async def test_export_shows_subscriptions_and_the_consent_proof(world: World) -> None:
    sub = await subscribed(world)
    document = await Exporter(world.redis, world.service.store, 90).export(SMS_USER, NOW)
    section = {s["rubrique"]: s for s in document["rubriques"]}["Rappels"]
    assert [s["id"] for s in section["contenu"]["en_cours"]] == ["r1"]
    (consent,) = section["contenu"]["accords_et_arrets"]
    assert consent["text"] == sub.consent.text and consent["channel"] == "sms" and consent["given_by"] == "resident"
