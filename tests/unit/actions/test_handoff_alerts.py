"""Mediators' Telegram alerts from the hand-off actions, against the fake Telegram Bot API and real Redis."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
import redis.asyncio as aioredis
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import deps
from actions.handoff import ActionHandoffRequest, ActionHandoffUrgent
from bot.handoff.links import resolve_token
from bot.handoff.store import HandoffStore
from bot.handoff.triage import load_triage
from tests.fakes.telegram_server import FakeTelegram
from tests.trackers import make_tracker, user

GROUP = "-1009876543210"
SMS = "sms-33612345678"


def faq(text: str, topic: str) -> dict[str, Any]:
    selector = {"faq": {"response": {"intent_response_key": f"faq/{topic}"}}}
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": "faq"}, "response_selector": selector}}


def tracker(sender_id: str, events: list[dict[str, Any]]) -> Tracker:
    return make_tracker(events, sender_id=sender_id)


@pytest.fixture
async def redis_client(
    redis_url: str, fake_telegram: FakeTelegram, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[aioredis.Redis]:
    monkeypatch.setenv("REDIS_URL", redis_url)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", fake_telegram.token)
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", fake_telegram.base_url)
    monkeypatch.setenv("TELEGRAM_MEDIATOR_CHAT_ID", GROUP)
    monkeypatch.setenv("CONSOLE_PUBLIC_URL", "https://console.pimms.example")
    deps.reset()
    client = aioredis.Redis.from_url(redis_url)
    # The resident asked 12 minutes ago (the store's clock is injected; the wait is a difference).
    asked = time.time() - 12 * 60
    deps.get_handoff_store.override(HandoffStore(client, clock=lambda: asked))
    yield client
    await client.close()
    await deps.get_redis().close()
    deps.reset()


async def run(action: Any, trk: Tracker) -> None:
    await action.run(CollectingDispatcher(), trk, {})


def assert_nothing_personal(text: str) -> None:
    """Issue 22, M8: no danger category, theme, channel or digit of the number reaches the Telegram group."""
    for word in ("danger", "violence", "suicid", "abri", "CAF", "Thème", "SMS", "Telegram", "Attente", "min"):
        assert word.lower() not in text.lower(), word
    before_link = text.split("https://", 1)[0]
    assert not any(c.isdigit() for c in before_link)


async def test_normal_then_urgent_hand_off_alert_the_group_with_a_link_only(
    redis_client: aioredis.Redis, fake_telegram: FakeTelegram
) -> None:
    events = [faq("mon rsa a pas ete verse", "caf_rsa"), user("je veux parler a quelqu'un 0612345678", "human_handoff")]
    await run(ActionHandoffRequest(), tracker(SMS, events))
    first = fake_telegram.wait_for(1)[0]
    assert first["chat_id"] == int(GROUP)
    assert first["text"].startswith("Nouvelle demande : https://console.pimms.example/o/")
    token = first["text"].removeprefix("Nouvelle demande : https://console.pimms.example/o/")
    assert await resolve_token(redis_client, token) == SMS
    assert_nothing_personal(first["text"])

    # The same resident, still waiting, writes about a danger: the group hears it again, urgent.
    await run(ActionHandoffUrgent(), tracker(SMS, [*events, user("il va me frapper", "danger_violence")]))
    second = fake_telegram.wait_for(2)[1]["text"]
    assert second == f"Nouvelle demande (urgente) : https://console.pimms.example/o/{token}"
    assert_nothing_personal(second)
    assert (await load_triage(redis_client, SMS)).danger == "violence"  # kept for the console


async def test_telegram_resident_alert_shows_no_chat_id(
    redis_client: aioredis.Redis, fake_telegram: FakeTelegram
) -> None:
    await run(ActionHandoffUrgent(), tracker("tg-987654321", [user("j'ai plus de toit ce soir", "danger_shelter")]))
    text = fake_telegram.wait_for(1)[0]["text"]
    assert text.startswith("Nouvelle demande (urgente) : https://console.pimms.example/o/")
    assert_nothing_personal(text)
    assert "987654321" not in text


async def test_an_unreachable_group_never_blocks_the_resident(
    redis_client: aioredis.Redis, fake_telegram: FakeTelegram
) -> None:
    fake_telegram.fail_next = 5
    dispatcher = CollectingDispatcher()
    events = await ActionHandoffRequest().run(dispatcher, tracker(SMS, [user("un humain svp", "human_handoff")]), {})
    assert {"event": "pause", "timestamp": None} in events and dispatcher.messages
