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
