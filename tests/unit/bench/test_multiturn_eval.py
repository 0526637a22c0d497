"""The multi-turn evaluator's checks and report section (no stack: observed turns built by hand)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bench.multiturn_eval import (
    DATA,
    HEADING,
    Conversation,
    Observed,
    Result,
    check_turn,
    load,
    section,
    write_section,
)
from bot.conversation.replies import yes_or_no
from bot.kb.model import Entry

KB = {"caf_rsa": Entry("caf_rsa", "caf", "Le RSA...", (), (), None, steps=("1. Simulez sur caf.fr.",))}


def faq(topic: str) -> dict:
    return {"event": "bot", "text": "...", "metadata": {"utter_action": f"utter_faq/{topic}"}}


def test_the_held_out_set_is_large_enough_and_well_formed() -> None:
    conversations = load(DATA)
    assert len(conversations) >= 80
    assert all(2 <= len(c.turns) <= 4 for c in conversations)
    assert len({c.id for c in conversations}) == len(conversations)


def test_the_held_out_set_is_not_training_data() -> None:
    import yaml

    training = set()
    for path in Path(DATA).parents[2].joinpath("data", "nlu").glob("*.yml"):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            for line in str(item.get("examples") or "").splitlines():
                training.add(line.strip().removeprefix("- ").strip().lower())
    # Short replies ("oui", "merci", "1") are the point of a conversation; anything longer is the set's own.
    said = {
        str(t["say"]).lower()
        for c in load(DATA)
        for t in c.turns
        if len(str(t["say"]).split()) > 2 and yes_or_no(str(t["say"])) is None
    }
    assert said & training == set()


def test_a_turn_meets_its_expectations_or_says_which_failed() -> None:
    seen = Observed(["1. Simulez sur caf.fr."], [faq("caf_rsa"), {"event": "action", "name": "action_follow_up"}])
    assert (
        check_turn(
            {"say": "x", "topic": ["caf_rsa", "css"], "steps": "caf_rsa", "action": "action_follow_up"}, seen, KB
        )
        == []
    )
    failed = check_turn({"say": "x", "topic": "css", "says": "mardi", "not_says": "simulez", "quiet": True}, seen, KB)
    assert failed == ["topic css (got ['caf_rsa'])", "says 'mardi'", "not_says 'simulez'", "quiet"]
    assert check_turn({"say": "x", "waiting": True}, Observed([], [], waiting=False), KB) == [
        "waiting True (got False)"
    ]
    # accents, case and punctuation ignored; whole words only
    assert check_turn({"say": "x", "says": "Fermé"}, Observed(["Lyon 8e : ferme."]), KB) == []
    assert check_turn({"say": "x", "says": "ferme"}, Observed(["fermeture"]), KB) == ["says 'ferme'"]


def test_unknown_expectations_are_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text("conversations:\n  - {id: a, kind: k, turns: [{say: oui, topc: x}]}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="topc"):
        load(bad)


def test_the_section_replaces_the_previous_one_and_keeps_the_notes(tmp_path: Path) -> None:
    report = tmp_path / "nlu-eval.md"
    report.write_text("# NLU evaluation\n\n## Summary\n\nx\n\n## Notes on this run\n\nmine\n", encoding="utf-8")
    conv = Conversation("a", "offer", ({"say": "oui"}, {"say": "non"}))
    results = [Result(conv, [[], []]), Result(Conversation("b", "waiting", ({"say": "q"},)), [["quiet"]])]
    lines = section(results, dt.date(2026, 12, 7))
    assert "**1/2 (50%)**" in "\n".join(lines) and "not met" in "\n".join(lines)
    write_section(lines, report)
    write_section(lines, report)
    text = report.read_text(encoding="utf-8")
    assert text.count(HEADING) == 1 and text.index(HEADING) < text.index("## Notes on this run")
    assert text.endswith("mine\n") and "- b: 1 'q': quiet" in text
