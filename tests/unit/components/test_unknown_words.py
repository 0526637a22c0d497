"""UnknownWordsGuard graph component: trained, persisted, loaded and run on real Messages (no model)."""

from __future__ import annotations

from pathlib import Path

from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.unknown_words import UnknownWordsGuard

CONTEXT = ExecutionContext(GraphSchema({}), "test-model")


def classified(text: str, intent: str = "affirm", confidence: float = 0.8) -> Message:
    """A message as the classifiers before the guard leave it."""
    message = Message(data={"text": text})
    message.set("intent", {"name": intent, "confidence": confidence}, add_to_output=True)
    message.set(
        "intent_ranking",
        [{"name": intent, "confidence": confidence}, {"name": "greet", "confidence": 0.1}],
        add_to_output=True,
    )
    return message


def trained_then_loaded(tmp_path: Path) -> UnknownWordsGuard:
    storage, resource = LocalModelStorage(tmp_path), Resource("guard")
    guard = UnknownWordsGuard.create(UnknownWordsGuard.get_default_config(), storage, resource, CONTEXT)
    examples = [Message(data={"text": t, "intent": "affirm"}) for t in ("oui", "d'accord", "ok merci")]
    guard.train(TrainingData(training_examples=examples))
    return UnknownWordsGuard.load(UnknownWordsGuard.get_default_config(), storage, resource, CONTEXT)


def test_unknown_words_fall_back_like_the_fallback_classifier(tmp_path: Path) -> None:
    guard = trained_then_loaded(tmp_path)
    gibberish, typo = classified("wxcvbnqsd"), classified("ouii")
    guard.process([gibberish, typo])
    assert gibberish.get("intent") == {"name": "nlu_fallback", "confidence": 1.0}
    assert [r["name"] for r in gibberish.get("intent_ranking")] == ["nlu_fallback", "affirm", "greet"]
    assert typo.get("intent")["name"] == "affirm"


def test_an_existing_fallback_is_left_alone(tmp_path: Path) -> None:
    guard = trained_then_loaded(tmp_path)
    message = classified("wxcvbnqsd", intent="nlu_fallback", confidence=0.55)
    guard.process([message])
    assert [r["name"] for r in message.get("intent_ranking")] == ["nlu_fallback", "greet"]


def test_without_a_vocabulary_the_guard_is_inactive(tmp_path: Path) -> None:
    guard = UnknownWordsGuard.load({}, LocalModelStorage(tmp_path), Resource("missing"), CONTEXT)
    message = classified("wxcvbnqsd")
    guard.process([message])
    assert message.get("intent")["name"] == "affirm"
