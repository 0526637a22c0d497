"""Markdown report of `make bench` (bench/compare.py), written between markers in docs/benchmarks.md."""

from __future__ import annotations

import statistics
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
GOALS = {"rasa_rss_mb": 1100, "stack_mb": 1600, "train_s": 180}


def median_of(runs: list[dict[str, float]], key: str) -> float:
    """Median of one figure over the rounds."""
    return statistics.median(r[key] for r in runs) if runs else 0.0


def spread(runs: list[dict[str, float]], key: str) -> str:
    """``min-max`` of one figure over the rounds (or the single value)."""
    values = [r[key] for r in runs]
    if not values:
        return "-"
    low, high = min(values), max(values)
    return f"{low:g}" if low == high else f"{low:g}-{high:g}"


def verdict(ok: bool) -> str:
    """Goal cell."""
    return "met" if ok else "**not met**"


def latency_table(data: dict[str, Any]) -> list[str]:
    """p50/p95/throughput/errors per server and load, with ratios to stock."""
    users = data["users"]
    results = data["results"]
    stock = results["stock"]
    lines = [
        "| server | load | p50 ms | p95 ms | msg/s | errors | p95 / stock | msg/s / stock |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, phases in results.items():
        for key, label in (("1", "1 user"), ("N", f"{users} users")):
            runs = phases[key]
            p95 = median_of(runs, "p95_ms")
            rate = median_of(runs, "throughput")
            base_p95, base_rate = median_of(stock[key], "p95_ms"), median_of(stock[key], "throughput")
            ratio_p95 = f"{p95 / base_p95:.2f}" if base_p95 and name != "stock" else ""
            ratio_rate = f"{rate / base_rate:.2f}" if base_rate and name != "stock" else ""
            errors = sum(int(r["errors"]) for r in runs)
            lines.append(
                f"| {name} | {label} | {spread(runs, 'p50_ms')} | {spread(runs, 'p95_ms')} | "
                f"{spread(runs, 'throughput')} | {errors} of {sum(int(r['messages']) for r in runs)} | "
                f"{ratio_p95} | {ratio_rate} |"
            )
    return lines


def goals_table(data: dict[str, Any]) -> list[str]:
    """Each goal of issue 13 with the measured figure."""
    results, memory = data["results"], data["memory"]
    stock = results["stock"]
    lines = ["| goal | measured | verdict |", "|---|---|---|"]
    for name, phases in results.items():
        if name == "stock":
            continue
        n_p95 = median_of(phases["N"], "p95_ms") / max(median_of(stock["N"], "p95_ms"), 1e-9)
        n_rate = median_of(phases["N"], "throughput") / max(median_of(stock["N"], "throughput"), 1e-9)
        one_p95 = median_of(phases["1"], "p95_ms") / max(median_of(stock["1"], "p95_ms"), 1e-9)
        errors = sum(int(r["errors"]) for key in ("1", "N") for r in phases[key])
        biggest = max(memory[name]["rasa_rss_mb"])
        lines += [
            f"| {name}: {data['users']} users p95 <= 0.5x stock | {n_p95:.2f}x | {verdict(n_p95 <= 0.5)} |",
            f"| {name}: {data['users']} users throughput >= 2x stock | {n_rate:.2f}x | {verdict(n_rate >= 2)} |",
            f"| {name}: 1 user p95 <= stock | {one_p95:.2f}x | {verdict(one_p95 <= 1)} |",
            f"| {name}: 0 errors | {errors} | {verdict(errors == 0)} |",
            f"| {name}: each Rasa process <= 1.1 GB RSS | {biggest} MB | {verdict(biggest <= GOALS['rasa_rss_mb'])} |",
        ]
        if name.startswith("ours (1 "):
            pss = memory[name]["stack"]["pss_mb"]
            lines.append(
                f"| whole one-process stack <= 1.6 GB (PSS) | {pss} MB | {verdict(pss <= GOALS['stack_mb'])} |"
            )
    train = data["training"]["ours"]
    lines.append(f"| training from scratch <= 3 min | {train:.0f} s | {verdict(0 < train <= GOALS['train_s'])} |")
    return lines


def memory_table(data: dict[str, Any]) -> list[str]:
    """Memory per server after the run."""
    lines = ["| server | Rasa processes RSS MB (main first) | whole stack RSS sum MB | whole stack PSS MB |"]
    lines.append("|---|---|---|---|")
    for name, entry in data["memory"].items():
        rss = ", ".join(str(v) for v in entry["rasa_rss_mb"])
        lines.append(f"| {name} | {rss} | {entry['stack']['rss_mb']} | {entry['stack']['pss_mb']} |")
    return lines


def redis_lines(data: dict[str, Any]) -> list[str]:
    """Tracker size and Redis memory of our stacks."""
    lines = []
    for name, entry in data["memory"].items():
        figures = entry.get("redis")
        if figures:
            lines.append(
                f"- {name}: {figures['trackers']} trackers in Redis, {figures['tracker_kb']} KB each on average "
                f"(10 messages), Redis memory {figures['used_mb']} MB"
            )
        idle = entry.get("idle")
        if idle:
            lines.append(
                f"- {name}: {idle['waiting']} residents waiting for a mediator during the whole run; while they "
                f"were silent, Rasa used {idle['rasa_cpu_ms']} ms of CPU in {idle['seconds']:.0f} s"
            )
    return [*lines, ""] if lines else []


def render(data: dict[str, Any]) -> str:
    """The whole generated section."""
    lines = [
        START,
        "## `make bench`: this assistant against stock Rasa (generated by bench/compare.py)",
        "",
        f"Run on {data['date']}, {data['cpus']} CPUs, load average {data['load_before']:.1f} at the end; "
        f"ranges are over {len(next(iter(data['results'].values()))['1'])} alternating rounds, ratios use the "
        "medians. Each conversation sends 10 messages one after the other; an empty answer is an error.",
        "",
        *latency_table(data),
        "",
        "Memory after the run (every conversation of every round served by the same processes):",
        "",
        *memory_table(data),
        "",
        *redis_lines(data),
        f"Training from scratch (empty cache): this assistant {data['training']['ours']:.0f} s, "
        f"stock starter bot {data['training']['stock']:.0f} s.",
        "",
        "### Goals of issue 13",
        "",
        *goals_table(data),
        END,
    ]
    return "\n".join(lines)


def write_report(data: dict[str, Any], path: Path = REPORT) -> str:
    """Replace the generated section of docs/benchmarks.md (appended when missing); return it."""
    section = render(data)
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n\n"
    if START in text and END in text:
        before, rest = text.split(START, 1)
        text = before + section + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(text, encoding="utf-8")
    return section
