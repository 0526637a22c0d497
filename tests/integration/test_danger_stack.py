"""Danger first through the running stack: the emergency number in the first reply, then hand-off."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from bot.danger import NUMBERS
from tests.unit.bot.test_danger import (
    CHILD_TEXTS,
    MEDICAL_TEXTS,
    SAFE_TEXTS,
    SHELTER_TEXTS,
    SUICIDE_TEXTS,
    VIOLENCE_TEXTS,
)

pytestmark = pytest.mark.stack

CASES = [
    *(("suicide", t) for t in SUICIDE_TEXTS),
    *(("violence", t) for t in VIOLENCE_TEXTS),
    *(("child", t) for t in CHILD_TEXTS),
    *(("shelter", t) for t in SHELTER_TEXTS),
    *(("medical", t) for t in MEDICAL_TEXTS),
]


def _sender() -> str:
    return f"rest-danger-{uuid.uuid4().hex[:10]}"


@pytest.mark.parametrize(("kind", "text"), CASES, ids=[f"{k}-{i}" for i, (k, _) in enumerate(CASES)])
def test_first_reply_gives_the_number(stack: Any, kind: str, text: str) -> None:
    texts = stack.texts(_sender(), text)
    assert texts, f"no reply to {text!r}"
    assert NUMBERS[kind][0] in texts[0], f"{text!r} -> {texts!r}"


def test_danger_overrides_faq_and_hands_off(stack: Any) -> None:
    sender = _sender()
    texts = stack.texts(sender, "je veux plus vivre, la caf m'a coupé le rsa")
    assert "3114" in texts[0]
    events = stack.tracker(sender)["events"]
    user = next(e for e in reversed(events) if e["event"] == "user")
    assert user["parse_data"]["intent"] == {"name": "danger_suicide", "confidence": 1.0}
    actions = [e.get("name") for e in events if e["event"] == "action"]
    assert actions.index("utter_danger_suicide") < actions.index("action_handoff_urgent")


def test_danger_in_the_middle_of_a_conversation(stack: Any) -> None:
    sender = _sender()
    stack.texts(sender, "cmt faire mon actualisation")
    texts = stack.texts(sender, "mon mari me frappe")
    assert "3919" in texts[0] and "17" in texts[0]


@pytest.mark.parametrize("text", [t for t in SAFE_TEXTS if t.strip(" !")][:12])
def test_no_false_alarm(stack: Any, text: str) -> None:
    joined = " ".join(stack.texts(_sender(), text))
    for number in ("3114", "3919", "119 (", "115 (", "SAMU"):
        assert number not in joined, f"{text!r} -> {joined!r}"
