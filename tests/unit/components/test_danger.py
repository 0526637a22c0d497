"""DangerDetector graph component, without training: instantiate it and process real Messages."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.training_data.message import Message

from components.danger import DangerDetector
from tests.unit.components.graph import classified, created


@pytest.fixture
def detector(tmp_path: Path) -> DangerDetector:
    """A detector created the way the Rasa graph creates it."""
    return created(DangerDetector, tmp_path)


def message_of(text: str, intent: str = "faq", confidence: float = 0.93) -> Message:
    """A message the classifier gave ``intent``, with a faint danger intent second."""
    return classified(text, (intent, confidence), ("danger_suicide", 0.01))


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("jveu me suicidé", "danger_suicide"),
        ("mon mari me bat", "danger_violence"),
        ("enfant en danger", "danger_child"),
        ("je dors dehors ce soir", "danger_shelter"),
        ("il respire plus", "danger_medical"),
    ],
)
def test_danger_overrides_intent(detector: DangerDetector, text: str, intent: str) -> None:
    [message] = detector.process([message_of(text)])
    assert message.get("intent") == {"name": intent, "confidence": 1.0}
    ranking = message.get("intent_ranking")
    assert ranking[0] == {"name": intent, "confidence": 1.0}
    assert [r["name"] for r in ranking].count(intent) == 1
    assert message.as_dict(only_output_properties=True)["intent"]["name"] == intent


def test_ordinary_message_untouched(detector: DangerDetector) -> None:
    [message] = detector.process([message_of("cmt faire mon actualisation", "faq", 0.8)])
    assert message.get("intent") == {"name": "faq", "confidence": 0.8}
    assert message.get("intent_ranking")[0]["name"] == "faq"


def test_message_without_text_or_intent(detector: DangerDetector) -> None:
    empty = Message(data={})
    assert detector.process([empty]) == [empty]
    assert empty.get("intent") is None
    bare = Message(data={"text": "il me frappe"})
    detector.process([bare])
    assert bare.get("intent")["name"] == "danger_violence"


def test_disabled() -> None:
    component = DangerDetector({"enabled": False})
    [message] = component.process([message_of("il me frappe")])
    assert message.get("intent")["name"] == "faq"


def test_registered_as_intent_classifier() -> None:
    registered = DefaultV1Recipe._from_registry("components.danger.DangerDetector")
    assert registered.clazz is DangerDetector
    assert DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER in registered.types
    assert registered.is_trainable is False


def test_config_runs_the_detector_last_among_classifiers() -> None:
    """DangerDetector must come after FallbackClassifier, or an ambiguous ranking could undo it."""
    import yaml

    root = Path(__file__).resolve().parents[3]
    names = [c["name"] for c in yaml.safe_load((root / "config.yml").read_text(encoding="utf-8"))["pipeline"]]
    assert "components.danger.DangerDetector" in names, (
        "add '- name: components.danger.DangerDetector' to config.yml, right after FallbackClassifier"
    )
    position = names.index("components.danger.DangerDetector")
    for classifier in ("DIETClassifier", "FallbackClassifier"):
        if classifier in names:
            assert names.index(classifier) < position, f"DangerDetector must come after {classifier}"


def test_classifier_only_danger_becomes_unsure(detector: DangerDetector) -> None:
    [message] = detector.process([message_of("rue de la République", "danger_shelter", 0.99)])
    assert message.get("intent") == {"name": "danger_unsure", "confidence": 0.99}
    assert message.get("intent_ranking")[0]["name"] == "danger_unsure"
