"""The console shows each conversation's language and who speaks it; mediators record their languages
(issue 23). Real console server, real Redis, fake Rasa."""

from __future__ import annotations

import asyncio

import redis.asyncio as aioredis

from bot.console.languages import MediatorLanguages
from bot.handoff import messages
from bot.language.codes import Language
from bot.language.store import LanguageStore, Preference
from bot.language.texts import localize
from tests.unit.console.conftest import Console

SID = "sms-33612345678"


def save_language(console: Console, sender_id: str, language: Language) -> None:
    async def go() -> None:
        redis = aioredis.Redis.from_url(console.redis_url)
        try:
            await LanguageStore(redis, 3600).save(sender_id, Preference(language, "detected"))
        finally:
            await redis.close()

    asyncio.run(go())


def csrf_of(page: str) -> str:
    return page.split('name="csrf" value="', 1)[1].split('"', 1)[0]


def test_the_queue_and_the_conversation_show_the_language_and_who_speaks_it(console: Console) -> None:
    console.seed(SID)
    save_language(console, SID, Language.AR)
    alice = console.login("alice")
    page = alice.get("/")
    assert 'lang="ar"' in page.text and "العربية" in page.text and "personne" in page.text  # nobody speaks it yet
    response = alice.post("/mes-langues", data={"csrf": csrf_of(page.text), "lang_ar": "1", "lang_tr": "1"})
    assert response.status_code == 303
    assert console.run(lambda store, _: MediatorLanguages(store.redis).get("alice")) == ["ar", "tr"]
    [row] = alice.get("/api/queue").json()["queue"]
    assert row["language_code"] == "ar" and row["speakers"] == "alice"
    conversation = alice.get(f"/c/{console.ref(SID)}")
    assert "العربية" in conversation.text and "la parlent : alice" in conversation.text
    page = alice.get("/")
    assert 'name="lang_ar" value="1" checked' in page.text


def test_a_french_conversation_shows_no_language_badge_in_the_queue(console: Console) -> None:
    console.seed(SID)
    alice = console.login("alice")
    [row] = alice.get("/api/queue").json()["queue"]
    assert row["language_code"] == "fr" and row["speakers"] == ""
    assert 'class="badge lang"' not in alice.get("/").text.split('id="queue"', 1)[1].split("</section>", 1)[0]


def test_the_assistant_notices_of_a_hand_off_are_in_the_resident_language(console: Console) -> None:
    """Taking the conversation and closing it: the resident reads them in Arabic; the mediator's own reply is
    delivered as written (any script)."""
    resident = "web-resident-ar"
    console.seed(resident, "بغيت نهضر مع شي واحد")
    save_language(console, resident, Language.AR)
    alice = console.login("alice")
    headers = {"X-Requested-With": "fetch", "X-CSRF-Token": csrf_of(alice.get("/").text)}
    assert alice.post(f"/c/{resident}/claim", headers=headers).json()["ok"]
    assert alice.post(f"/c/{resident}/reply", headers=headers, data={"text": "مرحبا، كيف أساعدك؟"}).json()["ok"]
    assert alice.post(f"/c/{resident}/close", headers=headers).json()["ok"]
    sent = [m["text"] for m in console.resident.wait_for(resident, 3)]
    assert sent == [localize(messages.CLAIMED, "ar"), "مرحبا، كيف أساعدك؟", localize(messages.CLOSED, "ar")]
