"""bench/eval_nlu.py report building from Rasa-shaped result files (no training here)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def evaluator(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """The script as a module, writing into tmp_path."""
    spec = importlib.util.spec_from_file_location("eval_nlu", ROOT / "bench" / "eval_nlu.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "OUT", tmp_path / "results")
    monkeypatch.setattr(module, "DOCS", tmp_path / "docs")
    monkeypatch.setattr(module, "REPORT", tmp_path / "docs" / "nlu-eval.md")
    monkeypatch.setattr(module, "IMAGES", tmp_path / "docs" / "nlu-eval")
    (tmp_path / "docs").mkdir()
    return module


def _write(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")


def test_macro_f1_ignores_summary_rows(evaluator: ModuleType) -> None:
    report = {
        "faq": {"precision": 1.0, "recall": 1.0, "f1-score": 1.0, "support": 10},
        "greet": {"precision": 0.5, "recall": 0.5, "f1-score": 0.5, "support": 4},
        "accuracy": 0.9,
        "macro avg": {"f1-score": 0.1},
        "weighted avg": {"f1-score": 0.2},
    }
    assert evaluator.macro_f1(report) == pytest.approx(0.75)
    assert evaluator.macro_f1({}) == 0.0


def test_report_from_results(evaluator: ModuleType, tmp_path: Path) -> None:
    out = tmp_path / "results"
    _write(
        out / "cv_ours" / "intent_report.json",
        {
            "faq": {"precision": 0.9, "recall": 1.0, "f1-score": 0.95, "support": 20, "confused_with": {}},
            "greet": {"precision": 0.8, "recall": 0.6, "f1-score": 0.7, "support": 5, "confused_with": {"faq": 2}},
            "accuracy": 0.93,
        },
    )
    _write(
        out / "cv_ours" / "response_selection_report.json",
        {
            "faq/caf_dtr": {"precision": 1.0, "recall": 1.0, "f1-score": 1.0, "support": 4},
            "faq/css": {"precision": 0.5, "recall": 0.5, "f1-score": 0.5, "support": 4},
        },
    )
    (out / "cv_ours" / "intent_confusion_matrix.png").write_bytes(b"\x89PNG fake")
    _write(out / "compare" / "results.json", {"config": [[0.91], [0.85]], "config_default": [[0.88], [0.8]]})
    report = evaluator.write_report().read_text(encoding="utf-8")
    assert "macro-F1 **0.825**" in report
    assert "accuracy 0.930" in report
    assert "| greet | 0.800 | 0.600 | 0.700 | 5 | faq (2) |" in report
    assert report.index("| greet") < report.index("| faq |")
    assert "FAQ topics: macro-F1 **0.750** over 2 topics" in report
    assert "![intent confusion matrix, ours](nlu-eval/ours_intent_confusion_matrix.png)" in report
    assert (tmp_path / "docs" / "nlu-eval" / "ours_intent_confusion_matrix.png").exists()
    assert "No results in" in report  # the default config was not cross-validated here
    assert "| config | 0.910; 0.850 |" in report


def test_summary_and_calibration(evaluator: ModuleType, tmp_path: Path) -> None:
    out = tmp_path / "results" / "cv_ours"
    _write(
        out / "intent_report.json",
        {
            "faq": {"precision": 1.0, "recall": 1.0, "f1-score": 0.96, "support": 20},
            "greet": {"precision": 1.0, "recall": 1.0, "f1-score": 0.94, "support": 5},
            "accuracy": 0.97,
        },
    )
    _write(
        out / "intent_errors.json",
        [
            {"text": "x", "intent": "greet", "intent_prediction": {"name": "faq", "confidence": 0.9}},
            {"text": "y", "intent": "greet", "intent_prediction": {"name": "faq", "confidence": 0.2}},
        ],
    )
    _write(
        out / "intent_successes.json",
        [
            {"text": "z", "intent": "faq", "intent_prediction": {"name": "faq", "confidence": 0.3}},
            {"text": "w", "intent": "faq", "intent_prediction": {"name": "faq", "confidence": 0.99}},
        ],
    )
    _write(out / "run.json", {"folds": 3, "seed": 7, "intents_only": False, "date": "2026-11-27"})
    report = evaluator.write_report().read_text(encoding="utf-8")
    threshold = evaluator.fallback_threshold(evaluator.CONFIGS["ours"])
    assert threshold is not None
    assert "| ours (config.yml) | 0.950 (met) | 0.970 | not measured |" in report
    assert "| default | not run | | |" in report
    assert "- 3 folds, seed 7, run on 2026-11-27" in report
    assert "1 of 4 test messages (25.0%) get a confident wrong intent" in report
    assert "1 right ones (25.0%) would get" in report


def test_intents_only_config_drops_the_response_selector(evaluator: ModuleType, tmp_path: Path) -> None:
    import yaml

    target = evaluator.without_response_selector(evaluator.CONFIGS["default"], tmp_path / "d.yml")
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    names = [c["name"] for c in data["pipeline"]]
    assert "ResponseSelector" not in names and "DIETClassifier" in names
    assert data["policies"] == [] and data["language"] == "fr"


def test_abstention_section(evaluator: ModuleType, tmp_path: Path) -> None:
    _write(
        tmp_path / "results" / "abstention.json",
        {
            "date": "2026-11-27",
            "questions": 60,
            "probes": 80,
            "honest": 57,
            "unrelated": 1,
            "other": 2,
            "probes_right": 76,
            "wrong_probes": [{"probe": "p", "expected": "dalo", "intent": "faq", "topic": "logement_social"}],
            "unrelated_answers": [{"question": "q", "topic": "caf_rsa"}],
            "other_answers": [{"question": "adopter", "intent": "danger_unsure"}],
        },
    )
    report = evaluator.write_report().read_text(encoding="utf-8")
    assert "**57/60 (95%)**, goal ≥ 90%: met" in report
    assert "**1/60 (2%)**, goal ≤ 3%: met" in report
    assert "**76/80 (95%)**" in report
    assert '- "q" -> faq/caf_rsa' in report
    assert '- "adopter" -> danger_unsure' in report


def test_hand_notes_survive_a_new_report(evaluator: ModuleType) -> None:
    evaluator.REPORT.write_text("# old\n\nold figures\n\n## Notes on this run (by hand)\n\nWhy it moved.\n")
    report = evaluator.write_report().read_text(encoding="utf-8")
    assert "old figures" not in report
    assert report.endswith("## Notes on this run (by hand)\n\nWhy it moved.\n")
    assert evaluator.write_report().read_text(encoding="utf-8") == report


def test_abstention_not_measured(evaluator: ModuleType) -> None:
    assert "Abstention not measured." in evaluator.write_report().read_text(encoding="utf-8")
