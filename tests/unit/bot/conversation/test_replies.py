"""A plain yes or no, read without a classifier."""

from __future__ import annotations

import pytest

from bot.conversation.replies import yes_or_no


@pytest.mark.parametrize(
    "text", ["oui", "OK", "d'accord", "Je veux bien", "ok je veux bien", "svp", "oui svp", "Oui merci !", "dac"]
)
def test_yes(text: str) -> None:
    assert yes_or_no(text) is True


@pytest.mark.parametrize("text", ["non", "Non merci", "pas besoin", "non c'est bon", "nan"])
def test_no(text: str) -> None:
    assert yes_or_no(text) is False


@pytest.mark.parametrize("text", ["ok merci", "oui je veux un rdv demain", "non je veux annuler", "", None, "bof"])
def test_anything_else_is_left_to_the_classifier(text: str | None) -> None:
    assert yes_or_no(text) is None


@pytest.mark.parametrize(
    ("text", "expected"), [("نعم", True), ("أيوه", True), ("iyeh", True), ("لا", False), ("la", False)]
)
def test_an_offer_takes_the_arabic_yes_and_no(text: str, expected: bool) -> None:
    assert yes_or_no(text) is expected


def test_the_french_la_is_not_a_no() -> None:
    assert yes_or_no("là") is None
