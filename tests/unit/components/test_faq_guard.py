"""FaqConfidenceGuard graph component on real Messages (no model): uncertain FAQ topics fall back."""

from __future__ import annotations

from pathlib import Path

from rasa.shared.nlu.training_data.message import Message

from components.faq_guard import FaqConfidenceGuard
from tests.unit.components.graph import classified, created, trained_then_loaded


def parsed(intent: str, topic_confidence: float | None) -> Message:
    """A message as the classifiers and the ResponseSelector leave it."""
    message = classified("une question", (intent, 0.9), ("greet", 0.05))
    if topic_confidence is not None:
        response = {"intent_response_key": "faq/caf_rsa", "confidence": topic_confidence}
        message.set("response_selector", {"faq": {"response": response}}, add_to_output=True)
    return message


def guard(tmp_path: Path, **config: object) -> FaqConfidenceGuard:
    return created(FaqConfidenceGuard, tmp_path, **config)


def trained_on_caf_and_car_papers(tmp_path: Path) -> FaqConfidenceGuard:
    faq = ["numero de la caf", "joindre la caf au telephone", "mot de passe caf oublie", "appeler la caf"]
    oos = ["comment faire ma carte grise", "carte grise perdue", "changement de titulaire carte grise"]
    examples = [Message(data={"text": t, "intent": "faq", "intent_response_key": "faq/caf_contact"}) for t in faq]
    examples += [Message(data={"text": t, "intent": "out_of_scope"}) for t in oos]
    return trained_then_loaded(FaqConfidenceGuard, tmp_path, examples, threshold=0.2)


def test_message_nearer_an_out_of_scope_example_falls_back(tmp_path: Path) -> None:
    loaded = trained_on_caf_and_car_papers(tmp_path)
    grey, caf = parsed("faq", 0.9), parsed("faq", 0.9)
    grey.set("text", "jai achete une voiture cmt faire la carte grise")
    caf.set("text", "c koi le numero de la caf")
    loaded.process([grey, caf])
    assert grey.get("intent")["name"] == "nlu_fallback"
    assert caf.get("intent")["name"] == "faq"


def test_untrained_guard_checks_confidence_only(tmp_path: Path) -> None:
    message = parsed("faq", 0.9)
    message.set("text", "comment faire ma carte grise")
    guard(tmp_path).process([message])
    assert message.get("intent")["name"] == "faq"


def test_uncertain_topic_falls_back_and_sure_topic_is_answered(tmp_path: Path) -> None:
    unsure, sure, no_topic, other = parsed("faq", 0.2), parsed("faq", 0.95), parsed("faq", None), parsed("greet", 0.1)
    guard(tmp_path).process([unsure, sure, no_topic, other])
    assert unsure.get("intent") == {"name": "nlu_fallback", "confidence": 1.0}
    assert [r["name"] for r in unsure.get("intent_ranking")] == ["nlu_fallback", "faq", "greet"]
    assert no_topic.get("intent")["name"] == "nlu_fallback"
    assert sure.get("intent")["name"] == "faq"
    assert other.get("intent")["name"] == "greet"


def test_threshold_and_switch_come_from_the_config(tmp_path: Path) -> None:
    strict, off = parsed("faq", 0.8), parsed("faq", 0.1)
    guard(tmp_path, threshold=0.9).process([strict])
    guard(tmp_path, enabled=False).process([off])
    assert strict.get("intent")["name"] == "nlu_fallback"
    assert off.get("intent")["name"] == "faq"
