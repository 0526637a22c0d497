"""CommandKeywords graph component, without training: instantiate it and process real Messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from components.commands import CommandKeywords
from tests.unit.components.graph import classified, created


@pytest.fixture
def component(tmp_path: Path) -> CommandKeywords:
    """The component created the way the Rasa graph creates it."""
    return created(CommandKeywords, tmp_path)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("RDV", "book_appointment"), ("rendez-vous !", "book_appointment"), ("Médiateur", "human_handoff")],
)
def test_a_keyword_gets_its_intent_for_sure(component: CommandKeywords, text: str, expected: str) -> None:
    message = component.process([classified(text, ("affirm", 0.5), ("book_appointment", 0.3))])[0]
    assert message.get("intent") == {"name": expected, "confidence": 1.0}
    ranking = [r["name"] for r in message.get("intent_ranking")]
    assert ranking[0] == expected and ranking.count(expected) == 1 and "affirm" in ranking


def test_a_sentence_that_mentions_a_keyword_keeps_the_classifier_intent(component: CommandKeywords) -> None:
    text = "je veux annuler mon rdv de demain"
    message = component.process([classified(text, ("cancel_appointment", 0.8), ("book_appointment", 0.1))])[0]
    assert message.get("intent") == {"name": "cancel_appointment", "confidence": 0.8}


def test_switched_off_it_leaves_the_classifier_intent(tmp_path: Path) -> None:
    component = created(CommandKeywords, tmp_path, enabled=False)
    message = component.process([classified("RDV", ("affirm", 0.5))])[0]
    assert message.get("intent") == {"name": "affirm", "confidence": 0.5}
