"""PLUS: last FAQ topic from tracker events, step packing, and action_faq_more with a real dispatcher."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from actions import deps
from actions.faq_more import ActionFaqMore
from bot.kb.model import Entry, load_kb, sms_segments
from bot.kb.steps import last_faq_topic, pack_steps
from tests.trackers import make_tracker


def user(intent: str, topic: str | None = None, text: str = "x") -> dict[str, Any]:
    """A user event as Rasa stores it (with a response selector result for faq)."""
    parse_data: dict[str, Any] = {"intent": {"name": intent, "confidence": 0.9}, "text": text}
    if topic:
        parse_data["response_selector"] = {
            "all_retrieval_intents": ["faq"],
            "faq": {"response": {"intent_response_key": f"faq/{topic}", "utter_action": f"utter_faq/{topic}"}},
        }
    return {"event": "user", "text": text, "parse_data": parse_data}


def bot(utter: str | None = None) -> dict[str, Any]:
    """A bot event; FAQ answers carry their utter_action in metadata."""
    return {"event": "bot", "text": "...", "metadata": {"utter_action": utter} if utter else {}}


LISTEN = {"event": "action", "name": "action_listen"}


def test_topic_from_bot_metadata() -> None:
    events = [user("faq", "caf_dtr"), bot("utter_faq/caf_dtr"), LISTEN, user("more")]
    assert last_faq_topic(events) == "caf_dtr"


def test_topic_from_parse_data_when_bot_metadata_missing() -> None:
    events = [user("faq", "ft_radiation"), bot(), LISTEN, user("more")]
    assert last_faq_topic(events) == "ft_radiation"


def test_default_selector_key() -> None:
    event = user("faq")
    event["parse_data"]["response_selector"] = {"default": {"response": {"intent_response_key": "faq/css"}}}
    assert last_faq_topic([event, LISTEN, user("more")]) == "css"


def test_repeated_plus_keeps_topic() -> None:
    events = [user("faq", "caf_dtr"), bot("utter_faq/caf_dtr"), user("more"), bot(), user("more")]
    assert last_faq_topic(events) == "caf_dtr"


def test_other_intent_in_between_forgets_topic() -> None:
    events = [user("faq", "caf_dtr"), bot("utter_faq/caf_dtr"), user("greet"), bot("utter_greet")]
    events.append(user("more"))
    assert last_faq_topic(events) is None
    assert last_faq_topic([user("more")]) is None
    assert last_faq_topic([]) is None


def test_pack_steps_respects_two_segments() -> None:
    steps = [f"{i}. " + "Une étape assez longue pour remplir un message. " * 2 for i in range(1, 7)]
    packed = pack_steps(steps)
    assert all(sms_segments(m) <= 2 for m in packed)
    assert "\n".join(packed) == "\n".join(steps)
    assert len(packed) < len(steps)
    assert pack_steps([]) == []


async def run_action(events: list[dict[str, Any]], kb: dict[str, Entry] | None = None) -> list[dict[str, Any]]:
    """Run action_faq_more and return the dispatched messages."""
    action = ActionFaqMore()
    if kb is not None:
        deps.get_kb.override(kb)
    dispatcher = CollectingDispatcher()
    try:
        assert await action.run(dispatcher, make_tracker(events), {}) == []
    finally:
        deps.reset()
    return dispatcher.messages


async def test_action_sends_real_kb_steps() -> None:
    entry = next(e for e in load_kb() if e.id == "caf_dtr")
    events = [user("faq", "caf_dtr"), bot("utter_faq/caf_dtr"), LISTEN, user("more", text="PLUS")]
    messages = await run_action(events)
    text = "\n".join(m["text"] for m in messages)
    assert text == "\n".join(entry.steps)
    assert text.startswith("1.")


async def test_action_without_topic_or_steps() -> None:
    messages = await run_action([user("more", text="PLUS")])
    assert messages[0]["response"] == "utter_faq_more_no_topic"
    no_steps = Entry("x", "t", "Réponse.", (), ("https://example.org",), dt.date(2026, 3, 31))
    messages = await run_action([user("faq", "x"), bot("utter_faq/x"), user("more")], {"x": no_steps})
    assert messages[0]["response"] == "utter_faq_more_none"
    messages = await run_action([user("faq", "gone"), bot("utter_faq/gone"), user("more")], {})
    assert messages[0]["response"] == "utter_faq_more_none"
