"""Danger in the residents' own languages (issue 23): every phrase of the danger set found with the right kind
(recall 100 % per language), ordinary messages left alone, and the emergency texts written in each language
within two SMS segments (UCS-2 counted)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.danger import KINDS, NUMBERS, detect
from bot.danger_texts import danger_texts
from bot.inbound.admission import emergency_answer
from bot.language.samples import nlu_examples, written_samples
from bot.response_variants import language_of
from bot.sms.encoding import shape

ROOT = Path(__file__).resolve().parents[3]
DANGER_SET = ROOT / "tests" / "data" / "danger_languages.yml"
LANGUAGES = ("ar", "en", "es", "pt", "tr", "ro")
REVIEW = "to be reviewed by a native-speaking mediator"


def danger_set() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(DANGER_SET.read_text(encoding="utf-8"))["languages"]
    return data


def segments(text: str) -> int:
    """SMS segments of a text as it is sent: 160/153 septets in GSM-7, 70/67 UTF-16 units in UCS-2."""
    clean, alphabet = shape(text)
    size = alphabet.measure(clean)
    return 1 if size <= alphabet.single else -(-size // alphabet.concat)


DANGER_CASES = [(lang, kind, text) for lang, block in danger_set().items() for kind, text in block["danger"]]
SAFE_CASES = [(lang, text) for lang, block in danger_set().items() for text in block["safe"]]


def test_the_danger_set_has_ten_messages_per_language_and_every_kind() -> None:
    data = danger_set()
    assert set(data) == set(LANGUAGES)
    for language, block in data.items():
        assert len(block["danger"]) >= 10, language
        assert {kind for kind, _ in block["danger"]} == set(KINDS), language


@pytest.mark.parametrize(("language", "kind", "text"), DANGER_CASES)
def test_every_danger_message_gets_its_kind(language: str, kind: str, text: str) -> None:
    match = detect(text)
    assert match is not None and match.kind == kind, (language, text)


@pytest.mark.parametrize(("language", "text"), SAFE_CASES)
def test_ordinary_messages_raise_no_alarm(language: str, text: str) -> None:
    assert detect(text) is None, (language, text)


def test_the_danger_set_is_not_training_data() -> None:
    trained = set(nlu_examples()) | {t for lines in written_samples().values() for t in lines}
    assert not {text for _, _, text in DANGER_CASES} & trained


def test_other_languages_phrases_never_fire_on_french_examples() -> None:
    """The French NLU examples (danger ones included) are matched by French phrases only."""
    for text in nlu_examples():
        match = detect(text)
        assert match is None or match.language == "fr", (text, match)


def test_each_danger_response_is_written_in_every_language_within_two_sms() -> None:
    domain = yaml.safe_load((ROOT / "domain" / "danger.yml").read_text(encoding="utf-8"))
    for name, variants in domain["responses"].items():
        kind = name.removeprefix("utter_danger_")
        numbers = NUMBERS.get(kind, ("112", "114"))
        by_language = {language_of(v): v for v in variants}
        assert set(by_language) == {None, *LANGUAGES}, name
        for language in LANGUAGES:
            variant = by_language[language]
            for number in numbers:
                assert number in variant["text"], (name, language, number)
            assert segments(variant["text"]) <= 2, (name, language)
            assert variant["metadata"]["review"] == REVIEW
            assert variant["metadata"]["translated_on"] == "2026-12-07"
        assert segments(by_language[None]["text"]) == (1 if kind in KINDS else 2)  # the French source, unchanged


@pytest.mark.parametrize("language", LANGUAGES)
def test_danger_texts_pick_the_resident_language(language: str) -> None:
    for kind in KINDS:
        [text] = danger_texts(kind, language=language)
        assert text != danger_texts(kind)[0] and NUMBERS[kind][0] in text
    assert danger_texts("suicide", language="xx") == danger_texts("suicide")  # unknown: the French source


@pytest.mark.parametrize(
    ("text", "language", "kind"),
    [
        ("my husband hits me", "en", "violence"),
        ("زوجي يضربني", "ar", "violence"),
        ("rajli kaydrabni", "ar", "violence"),
        ("no tengo donde dormir", "es", "shelter"),
        ("nao consegue respirar", "pt", "medical"),
        ("intihar edeceğim", "tr", "suicide"),
        ("copilul meu este in pericol", "ro", "child"),
        ("je veux mourir", "fr", "suicide"),
    ],
)
def test_the_redis_down_answer_is_in_the_message_language(text: str, language: str, kind: str) -> None:
    """Even a message too short for the language detector gets the texts of the phrase's language."""
    assert emergency_answer(text) == tuple(danger_texts(kind, language=language))


def test_european_portuguese_enclitic_violence_is_danger() -> None:
    """ "bate-me" (European Portuguese) as well as "me bate" (Brazilian)."""
    from bot.danger import detect as _detect

    for text in ("O meu marido bate-me e tenho muito medo", "o meu companheiro agride-me"):
        match = _detect(text)
        assert match is not None and match.kind == "violence", text
