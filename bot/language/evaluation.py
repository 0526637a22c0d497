"""Routing accuracy on a held-out set: per language, and French messages wrongly switched (goals of issue 23)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.language.codes import PRIOR, Language
from bot.language.samples import HELDOUT_FILE

ACCURACY_GOAL = 0.97
FRENCH_SWITCHED_GOAL = 0.005


@dataclass
class Score:
    """Right and wrong answers for one language, with the misrouted messages."""

    total: int = 0
    right: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)  # (message, language answered)

    @property
    def accuracy(self) -> float:
        """Share routed to the right language."""
        return self.right / self.total if self.total else 0.0


def load_heldout(path: Path = HELDOUT_FILE) -> dict[Language, list[str]]:
    """The held-out messages per language."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {Language(code): [str(t) for t in texts] for code, texts in data["languages"].items()}


def score(route: Callable[[str], str], heldout: Mapping[Language, list[str]]) -> dict[Language, Score]:
    """Route every held-out message (``route`` returns a language code, any string)."""
    scores: dict[Language, Score] = {}
    for language, texts in heldout.items():
        result = scores.setdefault(language, Score())
        for text in texts:
            answer = route(text)
            result.total += 1
            if answer == language.value:
                result.right += 1
            else:
                result.errors.append((text, answer))
    return scores


def french_switched(scores: Mapping[Language, Score]) -> float:
    """Share of French messages answered in another language."""
    french = scores[PRIOR]
    return (french.total - french.right) / french.total if french.total else 0.0


def failed_goals(scores: Mapping[Language, Score]) -> list[str]:
    """The goals not met (empty when all are)."""
    failed = [
        f"{language.value}: {s.accuracy:.1%} < {ACCURACY_GOAL:.0%}"
        for language, s in scores.items()
        if language != PRIOR and s.accuracy < ACCURACY_GOAL
    ]
    if french_switched(scores) > FRENCH_SWITCHED_GOAL:
        failed.append(f"French switched {french_switched(scores):.2%} > {FRENCH_SWITCHED_GOAL:.1%}")
    return failed
