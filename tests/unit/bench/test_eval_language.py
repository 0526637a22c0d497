"""bench/eval_language.py report building (candidates given here; no py3langid, no training)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from bot.language.codes import Language
from bot.language.evaluation import Score

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def evaluator(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """The script as a module (registered, as its dataclass needs)."""
    spec = importlib.util.spec_from_file_location("eval_language", ROOT / "bench" / "eval_language.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "eval_language", module)
    spec.loader.exec_module(module)
    return module


def test_the_report_shows_each_candidate_the_goals_and_the_errors(evaluator: ModuleType) -> None:
    heldout = {Language.FR: ["oui", "ok merci"], Language.EN: ["i need help", "hello there"]}
    good = evaluator.Candidate("pimms", "ours", lambda t: "en" if t == "i need help" else "fr", 1.0)
    bad = evaluator.Candidate("other", "off the shelf", lambda t: "en", 0.1)
    results = [(c, *evaluator.measure(c, heldout)) for c in (good, bad)]
    cv = {Language.FR: Score(10, 10), Language.EN: Score(10, 9)}

    report = evaluator.render(results, heldout, cv, "not installed")

    assert "**not met**: en: 50.0% < 97%" in report
    assert "| pimms | ours | 100.0% | 50.0% | 0.0% |" in report
    assert "| other | off the shelf | 0.0% | 100.0% | 100.0% |" in report
    assert "- en -> fr: « hello there »" in report
    assert "Off-the-shelf: not installed." in report
    assert "## What is not done yet of issue 23" in report
