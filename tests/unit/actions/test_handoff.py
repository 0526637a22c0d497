"""Hand-off actions (request, urgent, fallback, session start) with rasa_sdk trackers and a real Redis."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
import redis.asyncio as aioredis
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import deps
from actions.fallback import ActionFallback, consecutive_fallbacks
from actions.handoff import ActionHandoffRequest, ActionHandoffUrgent, preview_text
from actions.session_start import ActionSessionStart
from bot.handoff.models import State
from bot.handoff.store import HandoffStore
from bot.handoff.triage import load_triage
from tests.trackers import make_tracker, user

DOMAIN: dict[str, Any] = {"session_config": {"carry_over_slots_to_new_session": True}}


def tracker(
    sender_id: str = "sms-33612345678", events: list[dict[str, Any]] | None = None, slots: dict[str, Any] | None = None
) -> Tracker:
    """A hand-off request by default."""
    return make_tracker(events or [user("je veux parler a qqn", "human_handoff")], slots, sender_id)


@pytest.fixture
async def store(redis_url: str, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[HandoffStore]:
    monkeypatch.setenv("REDIS_URL", redis_url)
    deps.reset()
    client = aioredis.Redis.from_url(redis_url)
    yield HandoffStore(client)
    await client.close()
    await deps.get_redis().close()
    deps.reset()


async def run(action: Any, trk: Tracker) -> tuple[list[dict[str, Any]], list[str]]:
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, trk, DOMAIN)
    return events, [m.get("text") or m.get("response") for m in dispatcher.messages]


async def test_request_queues_tells_the_place_and_pauses(store: HandoffStore) -> None:
    events, texts = await run(ActionHandoffRequest(), tracker())
    assert events[-1] == {"event": "pause", "timestamp": None}
    assert {"event": "slot", "name": "handoff_state", "value": "waiting", "timestamp": None} in events
    assert "médiateur" in texts[0] and ("prochain" in texts[0] or "absents" in texts[0])
    assert "ANNULER" in texts[-1]
    assert (await store.get("sms-33612345678")).state == State.WAITING


async def test_second_request_keeps_the_place(store: HandoffStore) -> None:
    await run(ActionHandoffRequest(), tracker("tg-1"))
    await run(ActionHandoffRequest(), tracker("tg-2"))
    _, texts = await run(ActionHandoffRequest(), tracker("tg-2"))
    assert texts == [texts[0]] and "n°2" in texts[0] and "enregistrée" in texts[0]


async def test_urgent_goes_first(store: HandoffStore) -> None:
    await run(ActionHandoffRequest(), tracker("tg-1"))
    danger = [user("il me frappe", "danger_violence")]
    events, texts = await run(ActionHandoffUrgent(), tracker("tg-2", danger))
    assert events[-1]["event"] == "pause" and "priorité" in texts[0]
    assert [r.sender_id for r in await store.queue()] == ["tg-2", "tg-1"]
    assert (await store.get("tg-2")).urgent


async def test_first_fallback_is_honest_second_hands_off(store: HandoffStore) -> None:
    once = [user("hello", "greet"), user("zzkq", "nlu_fallback")]
    events, texts = await run(ActionFallback(), tracker("tg-1", once))
    assert texts == ["utter_fallback"] and events == [{"event": "rewind", "timestamp": None}]
    assert await store.get("tg-1") is None
    twice = [*once, {"event": "bot", "text": "Désolé"}, {"event": "rewind"}, user("bla bla", "nlu_fallback")]
    events, texts = await run(ActionFallback(), tracker("tg-1", twice))
    assert events[-1]["event"] == "pause" and "toujours pas à vous aider" in texts[0]
    assert (await store.get("tg-1")).reason.value == "fallback"


def test_fallback_count_resets_on_understood_messages_and_hand_offs() -> None:
    fb = user("xx", "nlu_fallback")
    assert consecutive_fallbacks([fb, fb, fb]) == 3
    assert consecutive_fallbacks([fb, user("rdv", "book"), fb]) == 1
    assert consecutive_fallbacks([fb, {"event": "resume"}, fb]) == 1
    assert consecutive_fallbacks([fb, {"event": "user", "text": "EXTERNAL: x"}, fb]) == 2


async def test_session_start_re_pauses_a_held_conversation(store: HandoffStore) -> None:
    await store.request("tg-1")
    events, _ = await run(ActionSessionStart(), tracker("tg-1", slots={"home_site": "demo", "other": None}))
    kinds = [e["event"] for e in events]
    assert kinds == ["session_started", "slot", "slot", "pause", "action"]
    assert events[1]["name"] == "home_site" and events[2]["value"] == "waiting"
    assert events[-1]["name"] == "action_listen"


async def test_session_start_without_hand_off_does_not_pause(store: HandoffStore) -> None:
    await store.request("tg-1")
    await store.cancel("tg-1")
    events, _ = await run(ActionSessionStart(), tracker("tg-1", slots={"home_site": "demo"}))
    assert [e["event"] for e in events] == ["session_started", "slot", "action"]


def test_out_of_scope_counts_as_not_helped() -> None:
    oos = user("qui a gagne le match", "out_of_scope")
    assert consecutive_fallbacks([user("xx", "nlu_fallback"), oos]) == 2
    assert consecutive_fallbacks([oos, user("horaires", "ask_hours"), oos]) == 1


async def test_a_yes_taking_the_mediator_offer_leaves_the_question_as_the_preview(store: HandoffStore) -> None:
    events = [
        user("mon dossier de titre de sejour est bloqué depuis 3 mois", "faq"),
        user("oui", "affirm"),
    ]
    await run(ActionHandoffRequest(), tracker("sms-33698765432", events))
    triage = await load_triage(store.redis, "sms-33698765432")
    assert triage.preview == "mon dossier de titre de sejour est bloqué depuis 3 mois"


def test_the_preview_is_the_last_message_when_nothing_else_was_said() -> None:
    assert preview_text([user("oui", "affirm")]) == "oui"
    assert preview_text([user("je veux un rdv", "book"), user("2", "")]) == "je veux un rdv"
    assert preview_text([]) == ""
