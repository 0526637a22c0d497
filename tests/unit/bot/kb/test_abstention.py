"""Abstention rules: refuse an uncertain FAQ topic; score replies to uncovered questions."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.kb.abstention import faq_is_unsure, outcome, topic_confidence, topic_of
from bot.kb.model import load_kb

ROOT = Path(__file__).resolve().parents[4]


def _selector(topic: str, confidence: float) -> dict:
    return {"faq": {"response": {"intent_response_key": f"faq/{topic}", "confidence": confidence}}}


def test_unsure_only_for_faq_below_threshold() -> None:
    assert faq_is_unsure("faq", _selector("caf_rsa", 0.31), 0.5)
    assert not faq_is_unsure("faq", _selector("caf_rsa", 0.91), 0.5)
    assert faq_is_unsure("faq", {}, 0.5), "no topic at all: do not answer"
    assert not faq_is_unsure("greet", _selector("caf_rsa", 0.1), 0.5)


def test_topic_and_confidence_read_from_the_selector() -> None:
    selector = _selector("dalo", 0.7)
    assert topic_of(selector) == "dalo" and topic_confidence(selector) == 0.7
    assert topic_of({}) is None and topic_confidence({}) is None


def test_outcome_scoring() -> None:
    assert outcome("out_of_scope") == outcome("nlu_fallback") == "honest"
    assert outcome("faq") == "faq"
    assert outcome("greet") == "other"


def test_held_out_abstention_set_is_large_and_not_in_training() -> None:
    data = yaml.safe_load((ROOT / "bench" / "data" / "abstention.yml").read_text(encoding="utf-8"))
    questions = [q.lower() for q in data["questions"]]
    assert len(set(questions)) >= 60
    training: set[str] = set()
    for path in (ROOT / "data" / "nlu").glob("*.yml"):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            training |= {line.strip()[2:].lower() for line in str(block.get("examples", "")).splitlines()}
    entries = load_kb()
    training |= {x.lower() for e in entries for x in e.examples}
    assert [q for q in questions if q in training] == []
    covered = [(str(item["question"]).lower(), str(item["topic"])) for item in data.get("covered") or []]
    assert [q for q, _ in covered if q in training or q in questions] == []
    assert {topic for _, topic in covered} <= {e.id for e in entries}, "a covered question names an unknown topic"


def test_nearest_examples_flags_messages_closer_to_out_of_scope() -> None:
    from bot.kb.nearest import NearestExamples

    nearest = NearestExamples(["numero de la caf", "actualisation france travail"], ["carte grise voiture"])
    assert nearest.looks_out_of_scope("cmt faire la carte grise de ma voiture")
    assert not nearest.looks_out_of_scope("le numero de la caf svp")
    assert not NearestExamples([], ["x"]).looks_out_of_scope("x"), "one group empty: never flags"
