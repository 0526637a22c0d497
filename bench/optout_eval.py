"""`make optout-eval`: the opt-out decision (bot/optout_intent.py) on the labelled set tests/data/optout_set.yml.

Recall: share of real requests (label ``stop`` or ``suggest_stop``) given their exact label. Precision: share of
the near misses of each kind left alone (decision ``none``). The figures go between markers in docs/security.md.
"""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.optout_intent import NONE, decide  # noqa: E402
from bot.text import normalize  # noqa: E402

SET_FILE = ROOT / "tests" / "data" / "optout_set.yml"
REPORT = ROOT / "docs" / "security.md"
START, END = "<!-- optout-eval:start -->", "<!-- optout-eval:end -->"
REAL_KINDS = ("keyword", "keyword_sms", "refusal", "refusal_sms")
RECALL_GOAL, PRECISION_GOAL = 0.98, 1.0


@dataclass(frozen=True)
class Example:
    """One labelled message."""

    text: str
    label: str
    kind: str


@dataclass
class Score:
    """Counts per kind: messages, right decisions, opt-outs and hints given to near misses, and the misses."""

    total: Counter[str] = field(default_factory=Counter)
    right: Counter[str] = field(default_factory=Counter)
    opted_out: Counter[str] = field(default_factory=Counter)
    hinted: Counter[str] = field(default_factory=Counter)
    wrong: list[tuple[Example, str]] = field(default_factory=list)

    def recall(self) -> float:
        """Real requests given their exact label."""
        total = sum(self.total[k] for k in REAL_KINDS)
        return sum(self.right[k] for k in REAL_KINDS) / total if total else 0.0

    def near_miss_kinds(self) -> list[str]:
        """Kinds of near misses, in set order."""
        return [k for k in self.total if k not in REAL_KINDS]

    def precision(self, kind: str) -> float:
        """Near misses of a kind left alone."""
        return self.right[kind] / self.total[kind] if self.total[kind] else 0.0

    def goals_met(self) -> bool:
        """Recall >= 98 % and every near-miss kind at 100 %."""
        return self.recall() >= RECALL_GOAL and all(self.precision(k) >= PRECISION_GOAL for k in self.near_miss_kinds())


def load_set(path: Path = SET_FILE) -> list[Example]:
    """The labelled messages."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [Example(str(m["text"]), str(m["label"]), str(m["kind"])) for m in data["messages"]]


def score(examples: list[Example]) -> Score:
    """Run the decision on every message."""
    result = Score()
    for example in examples:
        got = decide(normalize(example.text))
        result.total[example.kind] += 1
        if got == example.label:
            result.right[example.kind] += 1
        else:
            result.wrong.append((example, got))
        if example.kind not in REAL_KINDS and got != NONE:
            (result.opted_out if got == "stop" else result.hinted)[example.kind] += 1
    return result


def report(result: Score) -> list[str]:
    """The Markdown block written into docs/security.md."""
    real = sum(result.total[k] for k in REAL_KINDS)
    near = sum(result.total[k] for k in result.near_miss_kinds())
    lines = [
        f"Set: `tests/data/optout_set.yml`, {real + near} messages ({real} real requests, {near} near misses).",
        "",
        f"**Recall on real requests: {result.recall():.1%}** (goal {RECALL_GOAL:.0%}, exact decision).",
        "",
        "| real requests | messages | right decision |",
        "|---|---|---|",
    ]
    lines += [f"| {k} | {result.total[k]} | {result.right[k]} |" for k in REAL_KINDS]
    lines += [
        "",
        "| near misses | messages | precision (left alone) | opted out | hinted STOP |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| {k} | {result.total[k]} | {result.precision(k):.0%} | {result.opted_out[k]} | {result.hinted[k]} |"
        for k in result.near_miss_kinds()
    ]
    lines += [
        "",
        f"Goals (recall >= 98 %, precision 100 % on every kind): {'met' if result.goals_met() else 'NOT MET'}.",
    ]
    if result.wrong:
        lines += ["", "Wrong decisions:", ""]
        lines += [f"- `{e.text}` ({e.kind}): {got}, expected {e.label}" for e, got in result.wrong]
    return lines


def write_between(path: Path, start: str, end: str, lines: list[str]) -> None:
    """Replace the text between two markers (both kept)."""
    text = path.read_text(encoding="utf-8")
    head, found, rest = text.partition(start)
    if not found or end not in rest:
        raise SystemExit(f"{path}: markers {start} ... {end} not found")
    tail = rest.split(end, 1)[1]
    path.write_text(head + start + "\n" + "\n".join(lines) + "\n" + end + tail, encoding="utf-8")


def main() -> int:
    """Score the set, print and write the figures; exit 1 when a goal is missed."""
    result = score(load_set())
    lines = report(result)
    print("\n".join(lines))
    write_between(REPORT, START, END, lines)
    return 0 if result.goals_met() else 1


if __name__ == "__main__":
    raise SystemExit(main())
