"""The language preference on the real Redis: expiry, erasure (registry-driven) and the export."""

from __future__ import annotations

import pytest
import redis.asyncio as aioredis

from bot.language.codes import Language
from bot.language.store import LanguageStore, Preference, language_key
from bot.privacy.export import Exporter
from bot.privacy.keys import Retention, spec_for
from tests.unit.bot.privacy.conftest import NOW, SMS_USER, TG_USER, World

DAY = 24 * 3600


async def test_save_get_forget_with_an_expiry(client: aioredis.Redis) -> None:
    store = LanguageStore(client, ttl_seconds=90 * DAY)
    assert await store.get("tg-1") is None
    await store.save("tg-1", Preference(Language.AR, "choice"))
    assert await store.get("tg-1") == Preference(Language.AR, "choice")
    assert 89 * DAY < await client.ttl(language_key("tg-1")) <= 90 * DAY
    await client.expire(language_key("tg-1"), 10)
    await store.touch("tg-1")
    assert await client.ttl(language_key("tg-1")) > 89 * DAY
    await store.forget("tg-1")
    assert await store.get("tg-1") is None


async def test_a_key_never_lives_without_expiry(client: aioredis.Redis) -> None:
    with pytest.raises(ValueError):
        LanguageStore(client, ttl_seconds=0)


async def test_an_unreadable_value_means_french(client: aioredis.Redis) -> None:
    await client.set(language_key("tg-1"), '{"language": "xx"}', ex=60)
    assert await LanguageStore(client, 60).get("tg-1") is None


def test_the_key_is_registered_as_conversation_data() -> None:
    spec = spec_for(language_key("sms-33612345678"))
    assert spec is not None and spec.retention == Retention.ACTIVITY and spec.per_sender


async def test_erasure_deletes_the_language_of_that_person_only(world: World) -> None:
    store = LanguageStore(world.redis, 90 * DAY)
    await store.save(SMS_USER, Preference(Language.TR, "choice"))
    await store.save(TG_USER, Preference(Language.EN, "detected"))
    await world.eraser.erase(SMS_USER)
    assert await store.get(SMS_USER) is None
    assert await store.get(TG_USER) == Preference(Language.EN, "detected")


async def test_the_export_shows_the_language(world: World) -> None:
    await LanguageStore(world.redis, 90 * DAY).save(SMS_USER, Preference(Language.TR, "choice"))
    document = await Exporter(world.redis, world.service.store, 90).export(SMS_USER, NOW)
    section = {s["rubrique"]: s for s in document["rubriques"]}["Langue"]
    assert section["contenu"] == {"langue": "Türkçe", "choix": True}
    assert "choisie" in section["explication"]
    inventory = {s["rubrique"]: s for s in document["rubriques"]}["Inventaire"]["contenu"]
    assert {"donnee": "la langue dans laquelle l'assistant vous répond"} in inventory


async def test_the_export_of_someone_without_a_language_says_french(world: World) -> None:
    document = await Exporter(world.redis, world.service.store, 90).export(TG_USER, NOW)
    section = {s["rubrique"]: s for s in document["rubriques"]}["Langue"]
    assert section["contenu"] == {} and "français" in section["explication"]
