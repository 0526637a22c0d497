"""Typo-tolerant "no known word" check behind the UnknownWordsGuard."""

from __future__ import annotations

import pytest

from bot.unknown_words import Vocabulary, deletes, words

VOCABULARY = Vocabulary.from_texts(
    [
        "bonjour madame",
        "merci beaucoup",
        "je veux un rdv a la caf",
        "oui d'accord",
        "annuler mon rendez-vous",
        "c quoi l'actualisation",
        "Prime d'activité",
        "non",
    ]
)


def test_words_are_normalised() -> None:
    assert words("Prime d'ACTIVITÉ 2026 !") == ["prime", "d", "activite"]


def test_deletes_keep_at_least_one_letter() -> None:
    assert deletes("oui", 1) == {"oui", "ui", "oi", "ou"}
    assert "" not in deletes("a", 2)


@pytest.mark.parametrize(
    "text",
    [
        "bonjour",
        "bjour",
        "merciii",
        "mercii bcp",
        "rdvv",
        "anuler mon rdv",
        "actualisaton",
        "activite",
        "OUI",
        "prime d activite svp",
    ],
)
def test_known_words_and_their_typos_are_known(text: str) -> None:
    assert not VOCABULARY.is_unknown(text)


@pytest.mark.parametrize("text", ["wxcvbnqsd", "kjhkjh", "qsdfghjkl zzzz", "azertyuiop", "xcvxcv"])
def test_keyboard_mashing_is_unknown(text: str) -> None:
    assert VOCABULARY.is_unknown(text)


@pytest.mark.parametrize("text", ["", "   ", "?!", "+", "2", "kjhkjh 3", "👍"])
def test_no_words_or_digits_are_left_to_the_classifier(text: str) -> None:
    assert not VOCABULARY.is_unknown(text)


def test_short_words_allow_one_edit_long_words_two() -> None:
    vocabulary = Vocabulary(["oui", "actualisation"])
    assert vocabulary.knows("ouii") and not vocabulary.knows("xyz")
    assert vocabulary.knows("actualisaton") and vocabulary.knows("actualsaton")
    assert not vocabulary.knows("actual")
