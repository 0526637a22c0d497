"""NLU evaluation (`make eval`): cross-validation and held-out comparison of config.yml with Rasa's default.

Runs, from the project root (it TRAINS several models: minutes on 2 cores):
1. ``rasa test nlu --cross-validation --folds 3`` for config.yml and bench/config_default.yml, on the same
   folds (Rasa draws them with numpy's global random state, seeded here);
2. bench/abstention.py: one model on all the data, then the held-out uncovered questions
   (bench/data/abstention.yml: honest reply or unrelated FAQ answer?) and the kb probes (in-scope);
3. ``rasa test nlu --config config.yml bench/config_default.yml --percentages ...`` (Rasa holds out 20 %
   of the data as a test set, then trains each config on the rest minus each percentage).
Then writes docs/nlu-eval.md (per-intent F1, macro-F1, FAQ topic F1, calibration, comparison) and copies
the confusion matrices to docs/nlu-eval/.

The ResponseSelector has no influence on intent predictions (it is a separate graph node, and Rasa's
evaluation undoes the FallbackClassifier), so configs named in --intents-only (by default Rasa's default
pipeline, whose two-layer DIET is slow on 2 cores) are cross-validated without it: same intent scores,
no FAQ-topic scores. Options: --folds N, --seed N, --cv-configs, --intents-only, --runs N,
--percentages 0 50, --skip-cv, --skip-abstention, --skip-compare, --report-only (rebuild the report from
existing results).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "bench") not in sys.path:
    sys.path.insert(0, str(ROOT / "bench"))  # bench/abstention.py, imported where needed (it loads the kb)
OUT = ROOT / "results" / "eval"
DOCS = ROOT / "docs"
REPORT = DOCS / "nlu-eval.md"
IMAGES = DOCS / "nlu-eval"
CONFIGS = {"ours": ROOT / "config.yml", "default": ROOT / "bench" / "config_default.yml"}
SUMMARY_KEYS = {"accuracy", "macro avg", "weighted avg", "micro avg"}
TARGET_MACRO_F1 = 0.95
TARGET_FAQ_F1 = 0.90
TOPIC_SELECTORS = {"ResponseSelector"}
SEED = 20261127
NOTES_HEADING = "## Notes on this run"
MULTITURN_HEADING = "## Multi-turn conversations (held-out)"  # bench/multiturn_eval.py writes it


def nlu_command(verb: str) -> tuple[str, ...]:
    """``rasa <verb> nlu`` on all the project's NLU data and its domain (the rest of the arguments follow)."""
    return (verb, "nlu", "--nlu", "data/nlu", "--domain", "domain")


def rasa(*args: str, seed: int = SEED) -> None:
    """Run a rasa CLI command from the project root with numpy's global random state seeded (fails loudly).

    Rasa's cross-validation draws its folds with ``StratifiedKFold(shuffle=True)`` and no random_state:
    seeding numpy first gives every config the same folds.
    """
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2"}
    launcher = (
        f"import sys, numpy; numpy.random.seed({seed}); sys.argv = ['rasa', *sys.argv[1:]]; "
        "from rasa.__main__ import main; main()"
    )
    command = [sys.executable, "-c", launcher, *args]
    print(">>> rasa", " ".join(args), flush=True)
    subprocess.run(command, cwd=ROOT, env=env, check=True)


def without_response_selector(config: Path, target: Path) -> Path:
    """A copy of ``config`` without its FAQ topic selector (intent predictions are unchanged)."""
    import yaml

    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    data["pipeline"] = [c for c in data["pipeline"] if c.get("name") not in TOPIC_SELECTORS]
    data["policies"] = []
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return target


def run_cross_validation(folds: int, names: list[str], intents_only: list[str], seed: int) -> None:
    """k-fold cross-validation of the named configs on all NLU data, on the same folds."""
    for name in names:
        config = CONFIGS[name]
        if name in intents_only:
            config = without_response_selector(config, OUT / f"{name}_intents_only.yml")
        out = OUT / f"cv_{name}"
        shutil.rmtree(out, ignore_errors=True)
        rasa(
            *nlu_command("test"),
            "--config",
            str(config),
            "--cross-validation",
            "--folds",
            str(folds),
            "--successes",
            "--out",
            str(out),
            seed=seed,
        )
        (out / "run.json").write_text(
            json.dumps(
                {
                    "config": _rel(config),
                    "folds": folds,
                    "seed": seed,
                    "intents_only": name in intents_only,
                    "date": str(dt.date.today()),
                }
            ),
            encoding="utf-8",
        )


def run_comparison(runs: int, percentages: list[str], seed: int) -> None:
    """Held-out comparison of the two configs with increasing amounts of excluded training data."""
    rasa(
        *nlu_command("test"),
        "--config",
        *(str(c) for c in CONFIGS.values()),
        "--runs",
        str(runs),
        "--percentages",
        *percentages,
        "--out",
        str(OUT / "compare"),
        seed=seed,
    )


def run_abstention() -> None:
    """Train one NLU model on all the data and measure the honest replies (bench/abstention.py)."""
    import abstention

    out = OUT / "abstention"
    shutil.rmtree(out, ignore_errors=True)
    rasa(
        *nlu_command("train"),
        "--config",
        "config.yml",
        "--out",
        str(out),
        "--fixed-model-name",
        "nlu",
    )
    result = abstention.measure(out / "nlu.tar.gz")
    (OUT / "abstention.json").write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")


def _rel(path: Path) -> str:
    """Path relative to the project root when possible."""
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def load_json(path: Path) -> dict[str, Any] | None:
    """A JSON report, or None when missing."""
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def per_label(report: dict[str, Any]) -> dict[str, dict[str, float]]:
    """Per-label rows of a Rasa/sklearn classification report (summary rows removed)."""
    return {k: v for k, v in report.items() if k not in SUMMARY_KEYS and isinstance(v, dict)}


def macro_f1(report: dict[str, Any]) -> float:
    """Macro-averaged F1 over labels (computed, not trusted from the report)."""
    rows = per_label(report)
    return sum(r.get("f1-score", 0.0) for r in rows.values()) / len(rows) if rows else 0.0


def label_table(report: dict[str, Any], limit: int | None = None) -> list[str]:
    """Markdown table of labels sorted by F1 (worst first)."""
    rows = sorted(per_label(report).items(), key=lambda kv: (kv[1].get("f1-score", 0.0), kv[0]))
    lines = ["| label | precision | recall | F1 | support | most confused with |"]
    lines.append("|---|---|---|---|---|---|")
    for label, row in rows[:limit]:
        confused = ", ".join(f"{k} ({v})" for k, v in list((row.get("confused_with") or {}).items())[:2])
        lines.append(
            f"| {label} | {row.get('precision', 0):.3f} | {row.get('recall', 0):.3f} | "
            f"{row.get('f1-score', 0):.3f} | {row.get('support', 0)} | {confused} |"
        )
    return lines


def fallback_threshold(config: Path) -> float | None:
    """The FallbackClassifier threshold of a config, if it has one."""
    import yaml

    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    for component in data.get("pipeline", []):
        if component.get("name") == "FallbackClassifier":
            return float(component.get("threshold", 0.3))
    return None


def calibration(out: Path, threshold: float | None) -> list[str]:
    """How the intent confidences behave at the fallback threshold (what a resident would get)."""
    errors, successes = load_json(out / "intent_errors.json"), load_json(out / "intent_successes.json")
    if threshold is None or errors is None or successes is None:
        return []
    confident_wrong = sum(1 for e in errors if e["intent_prediction"]["confidence"] >= threshold)
    unsure_right = sum(1 for e in successes if e["intent_prediction"]["confidence"] < threshold)
    total = len(errors) + len(successes)
    return [
        f"- at the fallback threshold {threshold:.2f}: {confident_wrong} of {total} test messages "
        f"({confident_wrong / total:.1%}) get a confident wrong intent; {unsure_right} right ones "
        f'({unsure_right / total:.1%}) would get the "not understood" fallback instead'
    ]


def copy_image(source: Path, name: str) -> str | None:
    """Copy a confusion-matrix image next to the report; return its relative link."""
    if not source.exists():
        return None
    IMAGES.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, IMAGES / name)
    return f"nlu-eval/{name}"


def cv_section(name: str, out: Path) -> list[str]:
    """Report section for one cross-validated config."""
    lines = [f"### {name} ({_rel(CONFIGS[name])})", ""]
    intents = load_json(out / "intent_report.json")
    if intents is None:
        return lines + [f"No results in {_rel(out)} (cross-validation not run).", ""]
    run = load_json(out / "run.json") or {}
    if run:
        lines.append(
            f"- {run.get('folds')} folds, seed {run.get('seed')}, run on {run.get('date')}"
            + (" (without the FAQ topic selector: intent scores only)" if run.get("intents_only") else "")
        )
    accuracy = intents.get("accuracy")
    lines.append(
        f"- intents: macro-F1 **{macro_f1(intents):.3f}**"
        + (f", accuracy {accuracy:.3f}" if isinstance(accuracy, float) else "")
    )
    lines += calibration(out, fallback_threshold(CONFIGS[name]))
    selection = topic_scores(out)
    if selection:
        lines.append(f"- FAQ topics: macro-F1 **{macro_f1(selection):.3f}** over {len(per_label(selection))} topics")
    lines += ["", "Per-intent scores (worst first):", "", *label_table(intents), ""]
    if selection:
        lines += ["Ten weakest FAQ topics:", "", *label_table(selection, limit=10), ""]
    image = copy_image(out / "intent_confusion_matrix.png", f"{name}_intent_confusion_matrix.png")
    if image:
        lines += [f"![intent confusion matrix, {name}]({image})", ""]
    return lines


def compare_section(out: Path) -> list[str]:
    """Report section for the held-out comparison (F1 per excluded percentage)."""
    results = load_json(out / "results.json")
    lines = ["## Held-out comparison (Rasa keeps 20 % of the data as a test set)", ""]
    if results is None:
        return lines + [
            "Not run this time: the cross-validation above already compares both configs on the "
            "same folds. `bench/eval_nlu.py --skip-cv` runs it (it trains both full configs twice).",
            "",
        ]
    examples = load_json(out / "num_intent_examples.json")
    lines += ["| config | F1 per run, for each amount of training data |", "|---|---|"]
    for model, per_percentage in results.items():
        cells = "; ".join(", ".join(f"{f1:.3f}" for f1 in runs) for runs in per_percentage)
        lines.append(f"| {model} | {cells} |")
    if examples:
        lines += ["", f"Training examples used for each column: {examples}"]
    if (out / "nlu_model_comparison_graph.pdf").exists():
        lines += ["", "Graph: results/eval/compare/nlu_model_comparison_graph.pdf"]
    return lines + [""]


def topic_scores(out: Path) -> dict[str, Any] | None:
    """The FAQ-topic report of a run, or None when the run had no topic selector (Rasa still writes one, empty)."""
    run = load_json(out / "run.json") or {}
    if run.get("intents_only"):
        return None
    return load_json(out / "response_selection_report.json")


def summary_table() -> list[str]:
    """One line per config: cross-validated intent macro-F1 against the target."""
    lines = [
        f"| config | CV intent macro-F1 (target {TARGET_MACRO_F1}) | accuracy | "
        f"CV FAQ-topic macro-F1 (target {TARGET_FAQ_F1}) |",
        "|---|---|---|---|",
    ]
    for name in CONFIGS:
        intents = load_json(OUT / f"cv_{name}" / "intent_report.json")
        if intents is None:
            lines.append(f"| {name} | not run | | |")
            continue
        score = macro_f1(intents)
        selection = topic_scores(OUT / f"cv_{name}")
        faq = f"{macro_f1(selection):.3f}" if selection else "not measured"
        if selection:
            faq += " (met)" if macro_f1(selection) >= TARGET_FAQ_F1 else " (not met)"
        lines.append(
            f"| {name} ({_rel(CONFIGS[name])}) | {score:.3f} ({'met' if score >= TARGET_MACRO_F1 else 'not met'}) | "
            f"{intents.get('accuracy', 0):.3f} | {faq} |"
        )
    return lines


def hand_notes() -> list[str]:
    """The hand-written section of the current report (from ``NOTES_HEADING`` to the end), kept across runs."""
    if not REPORT.exists():
        return []
    text = REPORT.read_text(encoding="utf-8")
    start = text.find(NOTES_HEADING)
    return text[start:].rstrip("\n").split("\n") if start >= 0 else []


def multiturn_section() -> list[str]:
    """The multi-turn section of the current report (written by `make multiturn-eval`), kept across runs."""
    if not REPORT.exists():
        return []
    text = REPORT.read_text(encoding="utf-8")
    start = text.find(MULTITURN_HEADING)
    if start < 0:
        return []
    end = text.find("\n## ", start + len(MULTITURN_HEADING))
    return text[start : end if end >= 0 else len(text)].rstrip("\n").split("\n") + [""]


def write_report() -> Path:
    """Write docs/nlu-eval.md from whatever results exist, keeping its multi-turn section and hand-written notes."""
    notes = hand_notes()
    multiturn = multiturn_section()
    lines = [
        "# NLU evaluation",
        "",
        f"Generated by `make eval` (bench/eval_nlu.py) on {dt.date.today()}.",
        "Data: data/nlu (FAQ topics are retrieval sub-intents `faq/<topic>` generated from kb/).",
        "",
        "## Summary",
        "",
        *summary_table(),
        "",
    ]
    import abstention

    lines += abstention.section(load_json(OUT / "abstention.json"))
    lines += ["## Cross-validation", ""]
    for name in CONFIGS:
        lines += cv_section(name, OUT / f"cv_{name}")
    lines += compare_section(OUT / "compare")
    if multiturn:
        lines += ([] if lines[-1] == "" else [""]) + multiturn
    if notes:
        lines += ([] if lines[-1] == "" else [""]) + notes
    REPORT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return REPORT


def main(argv: list[str] | None = None) -> int:
    """Run the evaluations asked for, then write the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument(
        "--cv-configs",
        nargs="+",
        choices=sorted(CONFIGS),
        default=sorted(CONFIGS),
        help="configs to cross-validate (the default pipeline takes ~4x longer to train)",
    )
    parser.add_argument(
        "--intents-only",
        nargs="*",
        choices=sorted(CONFIGS),
        default=["default"],
        help="configs cross-validated without their ResponseSelector (same intent scores)",
    )
    parser.add_argument("--seed", type=int, default=SEED, help="seed of the folds (same for every config)")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--percentages", nargs="+", default=["0", "50"])
    parser.add_argument("--skip-cv", action="store_true")
    parser.add_argument("--skip-compare", action="store_true")
    parser.add_argument("--skip-abstention", action="store_true")
    parser.add_argument("--report-only", action="store_true")
    args = parser.parse_args(argv)
    if not args.report_only:
        if not args.skip_cv:
            run_cross_validation(args.folds, args.cv_configs, args.intents_only, args.seed)
        if not args.skip_abstention:
            run_abstention()
        if not args.skip_compare:
            run_comparison(args.runs, args.percentages, args.seed)
    print(f"report: {_rel(write_report())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
