"""bench/report.py: the generated section of docs/benchmarks.md, from made-up figures."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[3]


def _module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_report", ROOT / "bench" / "report.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _phase(p95: float, rate: float, errors: int = 0) -> dict[str, float]:
    return {"messages": 100, "p50_ms": p95 / 2, "p95_ms": p95, "throughput": rate, "errors": errors}


DATA = {
    "date": "2026-11-27 17:50 UTC",
    "cpus": 2,
    "load_before": 1.0,
    "users": 20,
    "results": {
        "stock": {"1": [_phase(60, 25)], "N": [_phase(1000, 25)]},
        "ours (1 process)": {"1": [_phase(50, 30)], "N": [_phase(800, 30)]},
        "ours (2 processes)": {"1": [_phase(55, 28)], "N": [_phase(400, 55, errors=1)]},
    },
    "memory": {
        "stock": {"rasa_rss_mb": [1300], "stack": {"rss_mb": 1300, "pss_mb": 1290}},
        "ours (1 process)": {"rasa_rss_mb": [1000], "stack": {"rss_mb": 1500, "pss_mb": 1400}},
        "ours (2 processes)": {"rasa_rss_mb": [700, 1050, 1060], "stack": {"rss_mb": 3300, "pss_mb": 2100}},
    },
    "training": {"stock": 77, "ours": 150},
}


def test_ratios_and_goals_are_computed_against_stock(tmp_path: Path) -> None:
    report = _module()
    section = report.write_report(DATA, tmp_path / "benchmarks.md")
    assert "| ours (2 processes) | 20 users | 200 | 400 | 55 | 1 of 100 | 0.40 | 2.20 |" in section
    assert "| ours (2 processes): 20 users p95 <= 0.5x stock | 0.40x | met |" in section
    assert "| ours (2 processes): 0 errors | 1 | **not met** |" in section
    assert "| ours (1 process): 20 users throughput >= 2x stock | 1.20x | **not met** |" in section
    assert "| whole one-process stack <= 1.6 GB (PSS) | 1400 MB | met |" in section
    assert "| training from scratch <= 3 min | 150 s | met |" in section


def test_only_the_generated_section_is_replaced(tmp_path: Path) -> None:
    report = _module()
    path = tmp_path / "benchmarks.md"
    path.write_text(f"# Benchmarks\n\nhand-written\n\n{report.START}\nold\n{report.END}\n\nafter\n", encoding="utf-8")
    report.write_report(DATA, path)
    text = path.read_text(encoding="utf-8")
    assert "hand-written" in text and "after" in text and "old" not in text
    assert text.count(report.START) == 1
