"""`make bench`: this assistant against stock Rasa's starter bot, same machine, same run, same load generator.

Heavy (run it alone on the machine: nothing else heavy at the same time; about 10 minutes once both models exist)::

    .venv/bin/python bench/compare.py [--rounds 2] [--workers 1 2] [--users 20]

1. Stock: ``rasa init --no-prompt`` into var/bench/stock (once; it trains the starter bot, timed from an empty
   cache). Served by ``rasa run`` exactly as generated (in-memory stores, one process).
2. Ours: the model of this commit (trained when stale); its from-scratch training time is measured once per
   config/data fingerprint (var/bench/ours-train.json). Served by the whole stack (bot.ops.stack: Redis, actions,
   Rasa with RASA_WORKERS processes, console, reminder worker), once per ``--workers`` value.
3. Rounds alternate the servers: 1 user (conversations one after the other), then ``--users`` concurrent
   conversations; each conversation sends its 10 messages one after the other (French SMS mix for ours,
   the starter bot's English mix for stock). An empty answer counts as an error.
4. Memory after the run: RSS of every Rasa process, and the whole stack (RSS sum and PSS sum: forked workers
   share pages, PSS counts them once).
Writes the results between the markers of docs/benchmarks.md and prints them.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.loadgen import RESIDENT_TEXTS, run_load, summarise  # noqa: E402
from bench.report import write_report  # noqa: E402
from bot.ops.processes import ManagedProcess, free_port_str, python  # noqa: E402
from bot.ops.stack import Stack  # noqa: E402
from bot.ops.training import ensure_model, training_inputs  # noqa: E402

BENCH = ROOT / "var" / "bench"
STOCK_TEXTS = [
    "hello",
    "I am feeling great",
    "are you a bot?",
    "hi there",
    "I am sad",
    "yes",
    "good morning",
    "very good",
    "are you a human?",
    "bye",
]


def quiet_env() -> dict[str, str]:
    """Environment for Rasa subprocesses."""
    env = dict(os.environ)
    env.update({"RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2", "PYTHONWARNINGS": "ignore"})
    return env


def timed_run(args: list[str], cwd: Path, env: dict[str, str]) -> float:
    """Run a command to completion (fails loudly); its wall seconds."""
    start = time.monotonic()
    subprocess.run(args, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.monotonic() - start


def ensure_stock(folder: Path) -> tuple[Path, float]:
    """The starter bot's model and its training time (``rasa init`` once, from an empty cache)."""
    record = folder / "bench-train.json"
    models = sorted((folder / "models").glob("*.tar.gz")) if folder.exists() else []
    if models and record.exists():
        return models[-1], float(json.loads(record.read_text())["train_s"])
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    with tempfile.TemporaryDirectory(prefix="rasa-cache-") as cache:
        # ``rasa init`` writes the starter project (under a second) and trains it: timed as its training.
        env = {**quiet_env(), "RASA_CACHE_DIRECTORY": cache}
        seconds = timed_run([python(), "-m", "rasa", "init", "--no-prompt", "--init-dir", str(folder)], folder, env)
    record.write_text(json.dumps({"train_s": round(seconds, 1)}))
    return sorted((folder / "models").glob("*.tar.gz"))[-1], seconds


def fingerprint() -> str:
    """Hash of everything training reads."""
    digest = hashlib.sha256()
    for path in training_inputs():
        digest.update(str(path.relative_to(ROOT)).encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def ours_training_seconds(remeasure: bool) -> float | None:
    """From-scratch training time of this config and data (measured once per fingerprint)."""
    record = BENCH / "ours-train.json"
    known = json.loads(record.read_text()) if record.exists() else {}
    key = fingerprint()
    if key in known and not remeasure:
        return float(known[key])
    with tempfile.TemporaryDirectory(prefix="rasa-cache-") as cache, tempfile.TemporaryDirectory() as out:
        env = {**quiet_env(), "RASA_CACHE_DIRECTORY": cache, "PYTHONPATH": str(ROOT)}
        args = [python(), "-m", "rasa", "train", "--domain", "domain", "--data", "data", "--config", "config.yml"]
        seconds = timed_run([*args, "--out", out], ROOT, env)
    known[key] = round(seconds, 1)
    BENCH.mkdir(parents=True, exist_ok=True)
    record.write_text(json.dumps(known))
    return seconds


def start_stock(model: Path, folder: Path) -> tuple[ManagedProcess, str]:
    """``rasa run`` of the starter bot on a free port."""
    port = free_port_str()
    args = [python(), "-m", "rasa", "run", "--model", str(model), "--port", port, "--interface", "127.0.0.1"]
    proc = ManagedProcess(name="stock", args=args, env=quiet_env(), cwd=folder, write=lambda _line: None)
    proc.start()
    proc.wait_ready(f"http://127.0.0.1:{port}/", 300)
    return proc, port


def start_ours(model: Path, workers: int) -> Stack:
    """The whole stack with ``workers`` Rasa processes (embedded Redis in its own folder)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TWILIO_", "TELEGRAM_", "REDIS_URL"))}
    env.update(
        {
            "RASA_PORT": free_port_str(),
            "ACTION_PORT": free_port_str(),
            "CONSOLE_PORT": free_port_str(),
            "RASA_WORKERS": str(workers),
            "PIMMS_DATA_DIR": tempfile.mkdtemp(prefix=f"pimms-bench-{workers}-"),
        }
    )
    stack = Stack(env=env, model=model, write=lambda _line: None)
    stack.start()
    return stack


def tree(pid: int) -> list[psutil.Process]:
    """A process and all its descendants."""
    root = psutil.Process(pid)
    return [root, *root.children(recursive=True)]


def memory(processes: list[psutil.Process]) -> dict[str, float]:
    """RSS and PSS sums in MB."""
    rss = pss = 0.0
    for proc in processes:
        info = proc.memory_full_info()
        rss, pss = rss + info.rss, pss + info.pss
    return {"rss_mb": round(rss / 2**20), "pss_mb": round(pss / 2**20)}


def rasa_processes(pid: int) -> list[float]:
    """RSS in MB of a Rasa server and its worker processes (main first)."""
    return [round(p.memory_info().rss / 2**20) for p in tree(pid)]


def redis_figures(url: str) -> dict[str, float]:
    """Stored tracker size (10-message conversations) and Redis memory, for docs/scaling.md."""
    import redis

    client = redis.Redis.from_url(url)
    try:
        keys = [k for k in client.scan_iter(match="pimmstracker:*", count=500)]
        sizes = [client.strlen(k) for k in keys[:200]]
        used = int(client.info("memory")["used_memory"])
    finally:
        client.close()
    mean = sum(sizes) / len(sizes) if sizes else 0
    return {"trackers": len(keys), "tracker_kb": round(mean / 1024, 1), "used_mb": round(used / 2**20, 1)}


def idle_cost(stack: Stack, waiting: int, seconds: float = 10.0) -> dict[str, float]:
    """Put ``waiting`` residents on hold for a mediator, then measure Rasa's CPU while they are silent."""
    url = f"http://127.0.0.1:{stack.env['RASA_PORT']}/webhooks/rest/webhook"
    held = [(f"waiting-{i}", ["je veux parler a un humain svp"]) for i in range(waiting)]
    turns, _ = asyncio.run(run_load(url, held, concurrency=5))
    time.sleep(2)  # the console's watcher reads the announcements of these hand-offs once
    rasa = stack.processes["rasa"].process
    assert rasa is not None
    procs = tree(rasa.pid)
    before = sum(p.cpu_times().user + p.cpu_times().system for p in procs)
    time.sleep(seconds)
    after = sum(p.cpu_times().user + p.cpu_times().system for p in procs)
    return {
        "waiting": sum(1 for t in turns if t.ok),
        "seconds": seconds,
        "rasa_cpu_ms": round((after - before) * 1000),
    }


def conversations(prefix: str, texts: list[str], count: int) -> list[tuple[str, list[str]]]:
    """``count`` conversations with distinct ids, each sending ``texts``."""
    return [(f"{prefix}-{i}", texts) for i in range(count)]


def main(argv: list[str] | None = None) -> int:
    """Run the comparison and write the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--single", type=int, default=10, help="conversations in each 1-user phase")
    parser.add_argument("--concurrent", type=int, default=100, help="conversations in each N-user phase")
    parser.add_argument("--remeasure-training", action="store_true")
    parser.add_argument("--waiting", type=int, default=50, help="residents held for a mediator during the run")
    args = parser.parse_args(argv)

    stock_model, stock_train = ensure_stock(BENCH / "stock")
    ours_train = ours_training_seconds(args.remeasure_training)
    model = ensure_model()
    servers: dict[str, dict[str, Any]] = {}
    stock, stock_port = start_stock(stock_model, BENCH / "stock")
    assert stock.process is not None
    servers["stock"] = {
        "url": f"http://127.0.0.1:{stock_port}/webhooks/rest/webhook",
        "texts": STOCK_TEXTS,
        "rasa_pid": stock.process.pid,
        "stack": None,
    }
    stacks = []
    try:
        for workers in args.workers:
            stack = start_ours(model, workers)
            stacks.append(stack)
            idle = idle_cost(stack, args.waiting)
            print(f"ours ({workers}): {json.dumps(idle)}", flush=True)
            rasa_proc = stack.processes["rasa"].process
            assert rasa_proc is not None
            servers[f"ours ({workers} process{'es' if workers > 1 else ''})"] = {
                "url": f"http://127.0.0.1:{stack.env['RASA_PORT']}/webhooks/rest/webhook",
                "texts": RESIDENT_TEXTS,
                "rasa_pid": rasa_proc.pid,
                "stack": stack,
                "idle": idle,
            }
        results: dict[str, dict[str, list[dict[str, float]]]] = {name: {"1": [], "N": []} for name in servers}
        for name, server in servers.items():  # warm-up: every model path compiled once
            asyncio.run(run_load(server["url"], conversations(f"warm-{name[:4]}", server["texts"], 2), 2))
        for round_ in range(args.rounds):
            order = list(servers) if round_ % 2 == 0 else list(reversed(servers))
            for users, count, key in ((1, args.single, "1"), (args.users, args.concurrent, "N")):
                for name in order:
                    server = servers[name]
                    prefix = f"r{round_}-{key}-{name[:4]}-{len(results[name][key])}"
                    turns, elapsed = asyncio.run(
                        run_load(server["url"], conversations(prefix, server["texts"], count), users)
                    )
                    summary = summarise(turns, elapsed)
                    results[name][key].append(summary)
                    print(f"round {round_ + 1} {name:<18} {users:>2} user(s): {json.dumps(summary)}", flush=True)
        memory_report: dict[str, Any] = {}
        for name, server in servers.items():
            entry: dict[str, Any] = {"rasa_rss_mb": rasa_processes(server["rasa_pid"])}
            stack = server["stack"]
            if stack is not None:
                procs = [p for proc in stack.processes.values() if proc.process for p in tree(proc.process.pid)]
                redis_server = stack.embedded_redis.process if stack.embedded_redis else None
                if redis_server is not None:
                    procs.append(psutil.Process(redis_server.pid))
                entry["stack"] = memory(procs)
            else:
                entry["stack"] = memory(tree(server["rasa_pid"]))
            if stack is not None:
                entry["redis"] = redis_figures(stack.env["REDIS_URL"])
                entry["idle"] = server["idle"]
            memory_report[name] = entry
    finally:
        for stack in stacks:
            stack.stop()
        stock.stop()
    data = {
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cpus": os.cpu_count(),
        "load_before": os.getloadavg()[0],
        "users": args.users,
        "results": results,
        "memory": memory_report,
        "training": {"stock": round(stock_train, 1), "ours": round(ours_train or 0, 1)},
    }
    BENCH.mkdir(parents=True, exist_ok=True)
    (BENCH / "last.json").write_text(json.dumps(data, indent=1))
    print(write_report(data))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
