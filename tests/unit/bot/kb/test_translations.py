"""Written translations of kb answers (issue 23): every language, dated, marked for review, within two SMS,
numbers of the French answer kept; the untranslated topics say honestly that the answer exists in French."""

from __future__ import annotations

import re

import yaml

from bot.kb.generate import DOMAIN_PATH
from bot.kb.model import load_kb
from bot.kb.review import main as review_main
from bot.kb.translations import LANGUAGES, OFFER, ONLY_IN_FRENCH, REVIEW, by_topic, load_translations
from bot.response_variants import language_of, select
from bot.sms.encoding import shape

_NUMBER = re.compile(r"\b\d{2,}\b")


def segments(text: str) -> int:
    clean, alphabet = shape(text)
    size = alphabet.measure(clean)
    return 1 if size <= alphabet.single else -(-size // alphabet.concat)


def test_each_translated_topic_has_every_language_dated_and_to_review() -> None:
    entries = {entry.id: entry for entry in load_kb()}
    table = by_topic(load_translations())
    assert len(table) >= 6
    for kb_id, languages in table.items():
        assert kb_id in entries, kb_id
        assert set(languages) == set(LANGUAGES), kb_id
        french_numbers = set(_NUMBER.findall(entries[kb_id].full_answer))
        for language, translation in languages.items():
            assert translation.review == REVIEW and translation.translated_on == "2026-12-07"
            assert segments(translation.answer) <= 2, (kb_id, language)
            assert set(_NUMBER.findall(translation.answer)) <= french_numbers, (kb_id, language)  # no new number


def test_the_domain_answers_each_topic_in_each_language() -> None:
    domain = yaml.safe_load(DOMAIN_PATH.read_text(encoding="utf-8"))
    table = by_topic(load_translations())
    for entry in load_kb():
        variants = domain["responses"][entry.response_name]
        assert {language_of(v) for v in variants} == {None, *LANGUAGES}, entry.id
        for language in LANGUAGES:
            [variant] = select(variants, language)
            if entry.id in table:
                assert variant["text"] == table[entry.id][language].answer
            else:  # honest: in French, said so in the resident's language, with a mediator or an appointment
                assert variant["text"].startswith(ONLY_IN_FRENCH[language])
                assert entry.full_answer in variant["text"] and variant["text"].endswith(OFFER[language])


def test_kb_review_lists_the_translations(capsys) -> None:  # type: ignore[no-untyped-def]
    review_main(["--today", "2026-12-07"])
    out = capsys.readouterr().out
    assert "caf_contact [ar]" in out and REVIEW in out and "translated answers" in out
