"""Detection with French as the prior: scripts decide, short French never switches, real evidence does."""

from __future__ import annotations

import pytest

from bot.language.codes import Language
from bot.language.detect import MARKER_WORDS, detect, words_of
from bot.language.samples import nlu_examples
from bot.language.script import script_language


@pytest.mark.parametrize(
    "text",
    [
        "rdv caf svp",
        "ok merci",
        "oui",
        "bjr jsp cmt faire ma decla",
        "stp",
        "slt",
        "non",
        "merci bcp",
        "bonsoir",
        "hello",
        "ok",
        "d'accord",
        "jveux un rdv",
        "c koi le pimms",
        "2m1 a 14h",
        "rdv le 3 a 9h",
        "salam",
        "el hamdoulilah",
        "inchallah",
        "shukran bzaf",
        "salam alikoum",
        "wesh",
        "gracias",
        "obrigado",
        "buna",
        "merhaba",
    ],
)
def test_short_french_sms_never_switches(text: str) -> None:
    assert detect(text).language == Language.FR


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("salam 3andi mochkil m3a la caf", Language.AR),
        ("السلام عليكم", Language.AR),
        ("hello i need help with my residence permit", Language.EN),
        ("hola necesito una cita para la caf", Language.ES),
        ("bom dia preciso de ajuda com a caf", Language.PT),
        ("merhaba randevu almak istiyorum", Language.TR),
        ("buna ziua am nevoie de o programare", Language.RO),
        ("мені потрібна допомога", Language.UK),
        ("мне нужна помощь пожалуйста", Language.RU),
    ],
)
def test_each_language_is_recognised(text: str, language: Language) -> None:
    assert detect(text).language == language


def test_a_script_decides_at_once_with_full_confidence() -> None:
    detection = detect("عندي مشكل")
    assert (detection.language, detection.confidence, detection.reason) == (Language.AR, 1.0, "script")


def test_one_foreign_word_in_a_french_message_does_not_switch() -> None:
    assert script_language("je m'appelle سارة et je veux un rdv") is None
    assert detect("je m'appelle سارة et je veux un rdv pour la caf").language == Language.FR


def test_darija_digits_are_evidence_but_french_sms_digits_are_not() -> None:
    assert detect("wach kayn chi wa7ed").language == Language.AR
    assert detect("a 2m1 bi1 merci").language == Language.FR


def test_messages_without_words_stay_french() -> None:
    assert detect("👍").language == Language.FR
    assert detect("12").language == Language.FR
    assert detect("").language == Language.FR


def test_no_marker_word_occurs_in_the_french_nlu_examples() -> None:
    french = {word for text in nlu_examples() for word in words_of(text)}
    for language, words in MARKER_WORDS.items():
        assert not words & french, language
