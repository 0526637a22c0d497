"""FAQ through the running stack: every topic answered with its official number or site, and accuracy guards."""

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


def _answer(stack: Any, entry: Entry, question: str) -> tuple[list[str], str]:
    """The texts answering ``question`` and the FAQ topic the assistant picked."""
    sender = _sender(entry.id)
    texts = stack.texts(sender, question)
    parse = _latest_user(stack.tracker(sender))["parse_data"]
    if parse["intent"]["name"] != "faq":
        return texts, ""
    return texts, parse["response_selector"]["faq"]["response"]["intent_response_key"]


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.id)
def test_topic_answered_with_official_contact(stack: Any, entry: Entry) -> None:
    """Every topic, asked in SMS spelling as residents do, gets its answer with the official number or site."""
    texts, picked = _answer(stack, entry, entry.examples[0])
    assert picked == entry.intent, f"{entry.examples[0]!r} -> {picked}"
    assert entry.expect in " ".join(texts), f"{entry.examples[0]!r} -> {texts!r}"


def test_held_out_questions_are_mostly_answered_right(stack: Any) -> None:
    """Accuracy guard on questions the model never saw (one per topic); details in docs/nlu-eval.md."""
    wrong = []
    for entry in ENTRIES:
        texts, picked = _answer(stack, entry, entry.probe)
        if picked != entry.intent or entry.expect not in " ".join(texts):
            wrong.append(f"{entry.probe!r} -> {picked or 'not faq'}")
    assert len(wrong) <= len(ENTRIES) * 0.15, "\n".join(wrong)


def test_out_of_scope_is_not_answered_as_faq(stack: Any) -> None:
    """Unrelated questions get the honest fallback, not a confident FAQ answer (all but one at worst)."""
    questions = [
        "qui a gagné la coupe du monde de rugby",
        "donne moi la recette de la tartiflette",
        "wxcvbnqsd",
        "c quoi le meilleur film de l annee",
        "combien de km entre paris et marseille",
    ]
    answered_as_faq = []
    for text in questions:
        sender = _sender("oos")
        stack.rest(sender, text)
        if _latest_user(stack.tracker(sender))["parse_data"]["intent"]["name"] not in {"out_of_scope", "nlu_fallback"}:
            answered_as_faq.append(text)
    assert len(answered_as_faq) <= 1, answered_as_faq


def test_plus_sends_the_steps_of_the_last_answer(stack: Any) -> None:
    entry = next(e for e in ENTRIES if e.id == "caf_dtr")
    sender = _sender("plus")
    assert entry.expect in " ".join(stack.texts(sender, entry.probe))
    steps = "\n".join(stack.texts(sender, "PLUS"))
    assert entry.steps[0] in steps and entry.steps[-1] in steps


def test_plus_without_question_asks_for_one(stack: Any) -> None:
    reply = " ".join(stack.texts(_sender("plus-alone"), "PLUS")).lower()
    assert "posez d'abord votre question" in reply
