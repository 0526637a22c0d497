"""The assistant's keywords: each one is advertised in its texts, and maps to an intent of the domain."""

from __future__ import annotations

import yaml

from bot.commands import COMMANDS, command_intent
from bot.settings import PROJECT_ROOT
from bot.text import normalize


def domain() -> tuple[set[str], str]:
    """Intents of domain/*.yml, and all response texts normalised into one string."""
    intents: set[str] = set()
    texts: list[str] = []
    for path in sorted((PROJECT_ROOT / "domain").glob("*.yml")):
        content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        intents |= set(content.get("intents") or [])
        for variants in (content.get("responses") or {}).values():
            texts += [normalize(v.get("text", "")) for v in variants]
    return intents, " ".join(texts)


def test_every_keyword_maps_to_an_intent_of_the_domain() -> None:
    intents, _ = domain()
    assert set(COMMANDS.values()) <= intents


def test_the_keywords_residents_are_told_to_write_are_recognised() -> None:
    _, texts = domain()
    for keyword in ("ecrivez rdv", "ecrivez mediateur", "repondez plus", "stop rdv", "mes rdv"):
        assert keyword in texts  # the assistant does advertise it
        assert command_intent(keyword.split(" ", 1)[1] if keyword.startswith(("ecrivez", "repondez")) else keyword)


def test_case_accents_and_punctuation_are_ignored_but_not_extra_words() -> None:
    assert command_intent(" Rendez-Vous ? ") == "book_appointment"
    assert command_intent("MÉDIATEUR") == "human_handoff"
    assert command_intent("un rdv svp") is None
    assert command_intent(None) is None
