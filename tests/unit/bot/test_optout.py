"""French opt-out keywords and the Redis opt-out store."""

from __future__ import annotations

import pytest
import redis.asyncio as aioredis

from bot.activity.log import OPTOUT, ActivityLog
from bot.optout import OptOutStore, classify_keyword


@pytest.mark.parametrize(
    "text",
    [
        "STOP",
        "stop",
        "Arret",
        "ARRÊT",
        "arrêt",
        "stop sms",
        "STOP SMS",
        "désabonner",
        "Se désabonner",
    ],
)
def test_stop_phrasings(text: str) -> None:
    assert classify_keyword(text) == "stop"


@pytest.mark.parametrize(
    "text",
    [
        "Merci de ne plus m'envoyer de sms",
        "merci de ne plus m’envoyer de SMS svp",
        "Je ne veux plus recevoir de messages",
        "Arrêtez de m'écrire",
    ],
)
def test_refusals_in_words_only_suggest_stop(text: str) -> None:
    assert classify_keyword(text) == "suggest_stop"


@pytest.mark.parametrize(
    "text",
    [
        "START",
        "start",
        "Reprendre",
        "reprendre",
        "UNSTOP",
        "reprise",
        "start sms",
        "Reprendre SMS",
        "je veux reprendre",
    ],
)
def test_start(text: str) -> None:
    assert classify_keyword(text) == "start"


@pytest.mark.parametrize("text", ["AIDE", "aide", "Aide !", "HELP", "aide sms", "info aide"])
def test_help(text: str) -> None:
    assert classify_keyword(text) == "help"


@pytest.mark.parametrize(
    "text", ["bonjour", "je veux annuler mon rendez-vous", "arrêt de bus le plus proche ?", "", "1"]
)
def test_ordinary_messages_are_not_keywords(text: str) -> None:
    assert classify_keyword(text) is None


async def test_store_round_trip(redis_url: str) -> None:
    client = aioredis.Redis.from_url(redis_url)
    store = OptOutStore(client)
    assert not await store.is_opted_out("sms-33612345678")
    await store.opt_out("sms-33612345678")
    assert await store.is_opted_out("sms-33612345678")
    assert not await store.is_opted_out("sms-33699999999")
    await store.opt_in("sms-33612345678")
    assert not await store.is_opted_out("sms-33612345678")
    await client.close()


async def test_an_opt_out_is_counted_once_in_the_activity_log(redis_url: str) -> None:
    client = aioredis.Redis.from_url(redis_url)
    now = 1_796_000_000.0  # a fixed moment: no wall clock
    hour = (now - 3600, now + 3600)  # events keep only their hour (docs/activity.md)
    store = OptOutStore(client, ActivityLog(client, clock=lambda: now))
    await store.opt_out("sms-33612345678")
    assert [e["kind"] for e in await ActivityLog(client).events(*hour)] == [OPTOUT]
    await store.opt_out("sms-33612345678")  # STOP again: already counted
    assert [e["kind"] for e in await ActivityLog(client).events(*hour)] == [OPTOUT]
    await client.close()
