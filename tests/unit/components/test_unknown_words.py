"""UnknownWordsGuard graph component: trained, persisted, loaded and run on real Messages (no model)."""

from __future__ import annotations

from pathlib import Path

from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message

from components.unknown_words import UnknownWordsGuard
from tests.unit.components.graph import CONTEXT, classified, trained_then_loaded


def affirm(text: str, intent: str = "affirm", confidence: float = 0.8) -> Message:
    """A message as the classifiers before the guard leave it."""
    return classified(text, (intent, confidence), ("greet", 0.1))


def trained_on_yes(tmp_path: Path) -> UnknownWordsGuard:
    examples = [Message(data={"text": t, "intent": "affirm"}) for t in ("oui", "d'accord", "ok merci")]
    return trained_then_loaded(UnknownWordsGuard, tmp_path, examples)


def test_unknown_words_fall_back_like_the_fallback_classifier(tmp_path: Path) -> None:
    guard = trained_on_yes(tmp_path)
    gibberish, typo = affirm("wxcvbnqsd"), affirm("ouii")
    guard.process([gibberish, typo])
    assert gibberish.get("intent") == {"name": "nlu_fallback", "confidence": 1.0}
    assert [r["name"] for r in gibberish.get("intent_ranking")] == ["nlu_fallback", "affirm", "greet"]
    assert typo.get("intent")["name"] == "affirm"


def test_an_existing_fallback_is_left_alone(tmp_path: Path) -> None:
    guard = trained_on_yes(tmp_path)
    message = affirm("wxcvbnqsd", intent="nlu_fallback", confidence=0.55)
    guard.process([message])
    assert [r["name"] for r in message.get("intent_ranking")] == ["nlu_fallback", "greet"]


def test_without_a_vocabulary_the_guard_is_inactive(tmp_path: Path) -> None:
    guard = UnknownWordsGuard.load({}, LocalModelStorage(tmp_path), Resource("missing"), CONTEXT)
    message = affirm("wxcvbnqsd")
    guard.process([message])
    assert message.get("intent")["name"] == "affirm"
