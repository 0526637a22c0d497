"""Abstention measurement for `make eval`: do uncovered questions get the honest reply?

Trains one NLU model on all of data/nlu with config.yml (Rasa's cache makes it quick when nothing changed),
then parses
- the held-out set bench/data/abstention.yml (public-service questions the knowledge base does not cover,
  never in training): honest reply = ``out_of_scope`` or ``nlu_fallback``; an FAQ answer is unrelated;
- the held-out probe of every kb entry (kb/*.yml ``probe``, never a training example): right when the intent
  is ``faq`` and the FAQ topic selector picks that entry's topic;
- the ``covered`` part of the same file: former uncovered questions that the kb now answers, each with the topic
  that should answer it (right topic, as for the probes).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.kb.abstention import outcome, topic_of  # noqa: E402
from bot.kb.model import load_kb  # noqa: E402

HELD_OUT = ROOT / "bench" / "data" / "abstention.yml"
GOAL_HONEST = 0.90
GOAL_UNRELATED = 0.03


def questions() -> list[str]:
    """The held-out uncovered questions."""
    return [str(q) for q in yaml.safe_load(HELD_OUT.read_text(encoding="utf-8"))["questions"]]


def covered() -> list[tuple[str, str]]:
    """(question, topic): held-out questions that the kb now answers, with the topic that should answer them."""
    data = yaml.safe_load(HELD_OUT.read_text(encoding="utf-8"))
    return [(str(item["question"]), str(item["topic"])) for item in data.get("covered") or []]


def _right_topic(parse: dict[str, Any], topic: str) -> bool:
    return (parse.get("intent") or {}).get("name") == "faq" and topic_of(parse.get("response_selector") or {}) == topic


async def _parse_all(model: Path, texts: list[str]) -> list[dict[str, Any]]:
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    return [await agent.parse_message(text) for text in texts]


def guard_settings() -> str:
    """The classifier and FaqConfidenceGuard settings of config.yml, to say what was measured."""
    pipeline = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8")).get("pipeline", [])
    parts = []
    for component in pipeline:
        name = str(component.get("name", ""))
        if name in {"DIETClassifier", "ResponseSelector"}:
            parts.append(f"{name} {component.get('epochs')} epochs")
        if name.endswith("IntentTopicClassifier"):
            parts.append(f"IntentTopicClassifier (linear, C={component.get('C', 'default')})")
        if name.endswith("FaqConfidenceGuard"):
            options = {k: v for k, v in component.items() if k != "name"}
            parts.append(f"FaqConfidenceGuard {options}")
    return ", ".join(parts) or "config.yml"


def measure(model: Path) -> dict[str, Any]:
    """Parse both held-out sets with ``model`` and return the figures (also per threshold)."""
    uncovered = questions()
    entries = load_kb()
    now_covered = covered()
    texts = uncovered + [e.probe for e in entries] + [q for q, _ in now_covered]
    parses = asyncio.run(_parse_all(model, texts))
    oos, probes = parses[: len(uncovered)], parses[len(uncovered) : len(uncovered) + len(entries)]
    covered_parses = parses[len(uncovered) + len(entries) :]
    actual = [outcome((p.get("intent") or {}).get("name")) for p in oos]
    wrong = [
        {
            "probe": e.probe,
            "expected": e.id,
            "intent": (p.get("intent") or {}).get("name"),
            "topic": topic_of(p.get("response_selector") or {}),
        }
        for p, e in zip(probes, entries, strict=True)
        if not _right_topic(p, e.id)
    ]
    covered_wrong = [
        {
            "question": q,
            "expected": topic,
            "intent": (p.get("intent") or {}).get("name"),
            "topic": topic_of(p.get("response_selector") or {}),
        }
        for p, (q, topic) in zip(covered_parses, now_covered, strict=True)
        if not _right_topic(p, topic)
    ]
    unrelated = [
        {"question": q, "topic": topic_of(p.get("response_selector") or {})}
        for q, p, o in zip(uncovered, oos, actual, strict=True)
        if o == "faq"
    ]
    other = [
        {"question": q, "intent": (p.get("intent") or {}).get("name")}
        for q, p, o in zip(uncovered, oos, actual, strict=True)
        if o == "other"
    ]
    return {
        "date": str(dt.date.today()),
        "config": guard_settings(),
        "questions": len(uncovered),
        "probes": len(entries),
        "honest": actual.count("honest"),
        "unrelated": actual.count("faq"),
        "other": actual.count("other"),
        "probes_right": len(entries) - len(wrong),
        "wrong_probes": wrong,
        "unrelated_answers": unrelated,
        "other_answers": other,
        "covered": len(now_covered),
        "covered_right": len(now_covered) - len(covered_wrong),
        "covered_wrong": covered_wrong,
    }


def section(result: dict[str, Any] | None) -> list[str]:
    """Report section (markdown lines) from a measure() result."""
    lines = ['## Honest "I don\'t know" (held-out uncovered questions)', ""]
    if not result:
        return lines + ["Abstention not measured.", ""]
    n, p = result["questions"], result["probes"]
    honest, unrelated = result["honest"] / n, result["unrelated"] / n
    lines += [
        f"- held-out set: {n} public-service questions on topics the kb does not cover, written as residents "
        "text (bench/data/abstention.yml, never in training); run on "
        + result["date"]
        + (f" with {result['config']}" if result.get("config") else ""),
        f"- honest reply (out_of_scope or fallback: not covered, ask a mediator or book an appointment): "
        f"**{result['honest']}/{n} ({honest:.0%})**, goal ≥ {GOAL_HONEST:.0%}: "
        + ("met" if honest >= GOAL_HONEST else "not met"),
        f"- unrelated FAQ answer: **{result['unrelated']}/{n} ({unrelated:.0%})**, goal ≤ {GOAL_UNRELATED:.0%}: "
        + ("met" if unrelated <= GOAL_UNRELATED else "not met")
        + f"; other intents (greeting, capabilities...): {result['other']}",
        f"- in-scope held-out: the probe of each kb entry (never a training example) gets its own topic in "
        f"**{result['probes_right']}/{p} ({result['probes_right'] / p:.0%})**",
    ]
    if result.get("covered"):
        c = result["covered"]
        lines.append(
            f"- former uncovered questions the kb now answers (the `covered` part of the same file, never in "
            f"training): their own topic in **{result['covered_right']}/{c} ({result['covered_right'] / c:.0%})**"
        )
    lines += [
        "",
    ]
    lines += ["", "Uncovered questions that still got an FAQ answer:", ""]
    lines += [f'- "{u["question"]}" -> faq/{u["topic"]}' for u in result["unrelated_answers"]] or ["- none"]
    if result.get("other_answers"):
        lines += ["", "Uncovered questions read as another intent (its own reply, not an FAQ answer):", ""]
        lines += [f'- "{o["question"]}" -> {o["intent"]}' for o in result["other_answers"]]
    lines += ["", "Probes not answered with their own topic:", ""]
    lines += [
        f'- "{w["probe"]}" ({w["expected"]}) -> {w["intent"]} {w["topic"] or ""}' for w in result["wrong_probes"]
    ] or ["- none"]
    if result.get("covered"):
        lines += ["", "Covered held-out questions not answered with their topic:", ""]
        lines += [
            f'- "{w["question"]}" ({w["expected"]}) -> {w["intent"]} {w["topic"] or ""}'
            for w in result["covered_wrong"]
        ] or ["- none"]
    return lines + [""]


def main() -> int:
    """Measure with the model given as argument and print the JSON."""
    print(json.dumps(measure(Path(sys.argv[1])), ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
