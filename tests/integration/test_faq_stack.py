"""FAQ through the running stack: each topic's held-out SMS question gets its official number or site."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from bot.kb.model import Entry, load_kb

pytestmark = pytest.mark.stack

ENTRIES = load_kb()


def _sender(tag: str) -> str:
    return f"rest-faq-{tag}-{uuid.uuid4().hex[:8]}"


def _latest_user(tracker: dict[str, Any]) -> dict[str, Any]:
    return next(e for e in reversed(tracker["events"]) if e["event"] == "user")


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.id)
def test_topic_answered_with_official_contact(stack: Any, entry: Entry) -> None:
    sender = _sender(entry.id)
    texts = stack.texts(sender, entry.probe)
    joined = " ".join(texts)
    assert entry.expect in joined, f"{entry.probe!r} -> {texts!r}"
    parse = _latest_user(stack.tracker(sender))["parse_data"]
    assert parse["intent"]["name"] == "faq"
    assert parse["response_selector"]["faq"]["response"]["intent_response_key"] == entry.intent


def test_plus_sends_the_steps_of_the_last_answer(stack: Any) -> None:
    entry = next(e for e in ENTRIES if e.id == "caf_dtr")
    sender = _sender("plus")
    assert entry.expect in " ".join(stack.texts(sender, entry.probe))
    steps = "\n".join(stack.texts(sender, "PLUS"))
    assert entry.steps[0] in steps and entry.steps[-1] in steps


def test_plus_without_question_asks_for_one(stack: Any) -> None:
    reply = " ".join(stack.texts(_sender("plus-alone"), "PLUS")).lower()
    assert "posez d'abord votre question" in reply


@pytest.mark.parametrize(
    "text",
    ["qui a gagné la coupe du monde de rugby", "donne moi la recette de la tartiflette", "wxcvbnqsd"],
)
def test_out_of_scope_is_not_answered_as_faq(stack: Any, text: str) -> None:
    sender = _sender("oos")
    stack.rest(sender, text)
    intent = _latest_user(stack.tracker(sender))["parse_data"]["intent"]["name"]
    assert intent in {"out_of_scope", "nlu_fallback"}
