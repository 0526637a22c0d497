"""ShortReplies graph component, without training: plain yes/no and short follow-ups over the classifier's guess."""

from __future__ import annotations

from pathlib import Path

import pytest

from components.conversation import ShortReplies
from tests.unit.components.graph import classified, created


@pytest.fixture
def component(tmp_path: Path) -> ShortReplies:
    """The component created the way the Rasa graph creates it."""
    return created(ShortReplies, tmp_path)


@pytest.mark.parametrize(
    ("text", "classifier", "expected"),
    [
        ("ok je veux bien", "faq", "affirm"),  # a plain yes takes the offer for sure
        ("svp", "out_of_scope", "affirm"),
        ("oui merci", "thanks", "affirm"),
        ("non merci", "thanks", "deny"),
        ("ok merci", "thanks", "thanks"),  # not a plain yes: left to the classifier
        ("+ svp", "more", "more"),  # PLUS
        ("comment je fais", "faq", "follow_up"),  # an elliptical follow-up, read in context
        ("comment je fais", "capabilities", "follow_up"),
        ("comment ça marche ?", "capabilities", "capabilities"),  # action_capabilities reads the context
        ("et le mercredi après-midi ?", "goodbye", "follow_up"),
        ("c ouvert le mardi ?", "ask_hours", "ask_hours"),  # its own action reads the day
        ("la suite", "more", "more"),
        ("pour mon mari aussi", "faq", "follow_up"),
        ("comment je fais pour la prime d'activité", "faq", "faq"),  # a full question: the topic change wins
    ],
)
def test_short_replies_of_a_conversation(component: ShortReplies, text: str, classifier: str, expected: str) -> None:
    message = component.process([classified(text, (classifier, 0.6), ("greet", 0.1))])[0]
    assert message.get("intent")["name"] == expected


def test_a_reply_the_fallback_rejected_is_read_from_the_classifier_guess(component: ShortReplies) -> None:
    # the FallbackClassifier put nlu_fallback first (two intents too close); the classifier's guess was goodbye
    ambiguous = classified("et le samedi ?", ("nlu_fallback", 1.0), ("goodbye", 0.48), ("ask_hours", 0.45))
    message = component.process([ambiguous])[0]
    assert message.get("intent") == {"name": "follow_up", "confidence": 1.0}
    # rejected, ask_hours would not run: action_follow_up reads the day instead
    doubtful = classified("c ouvert le samedi ?", ("nlu_fallback", 1.0), ("ask_hours", 0.4), ("greet", 0.35))
    assert component.process([doubtful])[0].get("intent")["name"] == "follow_up"
    unknown = classified("xkcd wxcv", ("nlu_fallback", 1.0), ("greet", 0.3))
    assert component.process([unknown])[0].get("intent")["name"] == "nlu_fallback"


def test_switched_off_it_leaves_the_intent(tmp_path: Path) -> None:
    component = created(ShortReplies, tmp_path, enabled=False)
    assert component.process([classified("oui svp", ("faq", 0.5))])[0].get("intent")["name"] == "faq"
