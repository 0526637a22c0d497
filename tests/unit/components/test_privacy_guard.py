"""PrivacyGuard graph component, without training: privacy intents about other organisations are demoted."""

from __future__ import annotations

from pathlib import Path

import pytest

from components.privacy_guard import PrivacyGuard
from tests.unit.bot.privacy.test_keywords import OTHER_ORGANISATIONS_DATA
from tests.unit.components.graph import classified, created


@pytest.fixture
def guard(tmp_path: Path) -> PrivacyGuard:
    return created(PrivacyGuard, tmp_path)


@pytest.mark.parametrize("text", OTHER_ORGANISATIONS_DATA)
@pytest.mark.parametrize("intent", ["privacy_erase", "privacy_info"])
def test_other_organisations_data_gets_the_next_intent(guard: PrivacyGuard, text: str, intent: str) -> None:
    message = classified(text, (intent, 0.7), ("privacy_info", 0.1), ("faq", 0.4))
    guard.process([message])
    assert message.get("intent")["name"] == "faq"
    assert message.get("intent_ranking")[0]["name"] == "faq"


def test_no_credible_second_guess_falls_back(guard: PrivacyGuard) -> None:
    message = classified("supprimer mes données caf", ("privacy_erase", 0.95), ("greet", 0.02))
    guard.process([message])
    assert message.get("intent")["name"] == "nlu_fallback"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("supprimez mes données", "privacy_erase"),
        ("je veux que vous effaciez tout", "privacy_erase"),
        ("vous gardez mes messages ?", "privacy_info"),
    ],
)
def test_requests_about_us_are_kept(guard: PrivacyGuard, text: str, intent: str) -> None:
    message = classified(text, (intent, 0.9), ("faq", 0.05))
    guard.process([message])
    assert message.get("intent")["name"] == intent


def test_other_intents_are_untouched(guard: PrivacyGuard) -> None:
    message = classified("mes données caf", ("faq", 0.9), ("privacy_info", 0.05))
    guard.process([message])
    assert message.get("intent")["name"] == "faq"
