"""The held-out sets of issue 23 keep their size and stay out of training: at least 40 intent messages and 10
danger messages per language, none of them an NLU example or a language-detector sample."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.language.texts import TRANSLATED

ROOT = Path(__file__).resolve().parents[4]


def _training_texts() -> set[str]:
    found: set[str] = set()
    for path in (ROOT / "data" / "nlu").rglob("*.yml"):
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu") or []:
            for line in str(block.get("examples") or "").splitlines():
                found.add(line.strip().removeprefix("- ").strip().lower())
    for path in (ROOT / "data" / "languages").glob("*.txt"):
        found |= {line.strip().lower() for line in path.read_text(encoding="utf-8").splitlines()}
    return found


def test_each_language_has_40_intent_and_10_danger_messages_never_trained_on() -> None:
    intents = yaml.safe_load((ROOT / "tests" / "data" / "languages_intents.yml").read_text(encoding="utf-8"))
    danger = yaml.safe_load((ROOT / "tests" / "data" / "danger_languages.yml").read_text(encoding="utf-8"))
    training = _training_texts()
    for language in TRANSLATED:
        messages = [text for _, text in intents["languages"][language]]
        assert len(messages) >= 40 and len(danger["languages"][language]["danger"]) >= 10, language
        assert len(set(messages)) == len(messages), language
        leaked = [text for text in messages if text.lower() in training]
        assert not leaked, (language, leaked)
