"""Training time against held-out accuracy for candidate configs (the measurements in docs/benchmarks.md).

Usage (heavy: run it alone on the machine, nothing else heavy at the same time)::

    .venv/bin/python bench/train_speed.py CONFIG [CONFIG ...] [--full]

Splits data/nlu once (80/20, stratified per intent, fixed seed, written to results/speed/), then for each
config: trains the NLU part on the 80 % with an empty training cache (so the time is a from-scratch
time), prints the training time of each TensorFlow component (read from Rasa's progress bars), and tests
the model on the 20 %: intent macro-F1, FAQ-topic macro-F1 (ResponseSelector) and entity F1. With
``--full`` it also times a complete ``rasa train`` (NLU and dialogue, all data) from an empty cache.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "results" / "speed"
SEED = 20261127
SUMMARY_KEYS = {"accuracy", "macro avg", "weighted avg", "micro avg"}
EPOCHS = re.compile(r"Epochs: 100%\|[^\[]*\[(?:(\d+):)?(\d+):(\d+)<")


def split_data() -> tuple[Path, Path]:
    """Write the fixed 80/20 split of data/nlu (once) and return (train, test) paths."""
    train, test = OUT / "train.yml", OUT / "test.yml"
    if train.exists() and test.exists():
        return train, test
    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLWriter
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(ROOT / "data" / "nlu"))
    training, testing = data.train_test_split(train_frac=0.8, random_seed=SEED)
    OUT.mkdir(parents=True, exist_ok=True)
    train.write_text(RasaYAMLWriter().dumps(training), encoding="utf-8")
    test.write_text(RasaYAMLWriter().dumps(testing), encoding="utf-8")
    return train, test


def rasa(args: list[str], cache: Path) -> tuple[float, float, str]:
    """Run a rasa command with its own training cache; return (wall seconds, CPU seconds, output).

    CPU seconds (user + system of the child) are less sensitive than wall time to other jobs on the machine.
    """
    env = {
        **os.environ,
        "RASA_TELEMETRY_ENABLED": "false",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "RASA_CACHE_DIRECTORY": str(cache),
        "PYTHONPATH": str(ROOT),
    }
    start, before = time.monotonic(), resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run([sys.executable, "-m", "rasa", *args], cwd=ROOT, env=env, capture_output=True, text=True)
    elapsed, after = time.monotonic() - start, resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"rasa {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu, done.stdout + done.stderr


def component_times(log: str) -> list[int]:
    """Seconds of each finished TensorFlow training loop, in the order they ran."""
    times, previous = [], ""
    for match in EPOCHS.finditer(log):
        if match.group(0) == previous:  # tqdm repeats the final line when it closes
            continue
        previous = match.group(0)
        hours, minutes, seconds = (int(g) if g else 0 for g in match.groups())
        times.append(hours * 3600 + minutes * 60 + seconds)
    return times


def macro_f1(report: dict[str, Any]) -> float:
    """Macro-averaged F1 over labels."""
    rows = [v for k, v in report.items() if k not in SUMMARY_KEYS and isinstance(v, dict)]
    return sum(r.get("f1-score", 0.0) for r in rows) / len(rows) if rows else 0.0


def read(path: Path) -> dict[str, Any]:
    """A JSON report (empty when missing)."""
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def evaluate(config: Path, train: Path, test: Path) -> dict[str, Any]:
    """Train NLU from scratch on the split, test it; return the measured figures."""
    name = config.stem
    out = OUT / name
    with tempfile.TemporaryDirectory(prefix="rasa-cache-") as cache:
        seconds, cpu, log = rasa(
            ["train", "nlu", "--nlu", str(train), "--domain", "domain", "--config", str(config)]
            + ["--out", str(out / "model"), "--fixed-model-name", "nlu"],
            Path(cache),
        )
        rasa(
            ["test", "nlu", "--model", str(out / "model" / "nlu.tar.gz"), "--nlu", str(test)]
            + ["--domain", "domain", "--out", str(out / "test")],
            Path(cache),
        )
    entities = read(out / "test" / "DIETClassifier_report.json")
    result = {
        "config": name,
        "nlu_train_s": round(seconds, 1),
        "nlu_train_cpu_s": round(cpu, 1),
        "tf_loops_s": component_times(log),
        "intent_macro_f1": round(macro_f1(read(out / "test" / "intent_report.json")), 3),
        "faq_macro_f1": round(macro_f1(read(out / "test" / "response_selection_report.json")), 3),
        "entity_macro_f1": round(entities.get("macro avg", {}).get("f1-score", 0.0), 3),
    }
    (out / "result.json").write_text(json.dumps(result), encoding="utf-8")
    return result


def full_training(config: Path) -> dict[str, Any]:
    """A complete ``rasa train`` from an empty cache on all data."""
    with tempfile.TemporaryDirectory(prefix="rasa-cache-") as cache, tempfile.TemporaryDirectory() as models:
        seconds, cpu, log = rasa(
            ["train", "--domain", "domain", "--data", "data", "--config", str(config), "--out", models],
            Path(cache),
        )
    return {
        "config": config.stem,
        "full_train_s": round(seconds, 1),
        "full_train_cpu_s": round(cpu, 1),
        "tf_loops_s": component_times(log),
    }


def main(argv: list[str] | None = None) -> int:
    """Evaluate each config given on the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("configs", nargs="+", type=Path)
    parser.add_argument("--full", action="store_true", help="also time a complete rasa train")
    parser.add_argument("--skip-split-eval", action="store_true", help="only the complete training")
    args = parser.parse_args(argv)
    train, test = split_data()
    for config in args.configs:
        if not args.skip_split_eval:
            print(json.dumps(evaluate(config.resolve(), train, test)), flush=True)
        if args.full:
            print(json.dumps(full_training(config.resolve())), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
