"""Latency and memory of the running assistant through its REST channel.

Usage: ``.venv/bin/python bench/latency.py [--messages 200]``. Starts the stack on free ports (embedded
Redis unless REDIS_URL is set), sends a fixed mix of SMS-style messages sequentially from several
conversations, and prints p50/p95/max latency and the resident memory of each process.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
import urllib.request
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.loadgen import RESIDENT_TEXTS as MESSAGES  # noqa: E402
from bot.ops.processes import free_port_str  # noqa: E402
from bot.ops.stack import Stack  # noqa: E402
from bot.ops.training import ensure_model  # noqa: E402


def post(port: str, sender: str, text: str) -> float:
    """One REST round trip; its duration in milliseconds."""
    body = json.dumps({"sender": sender, "message": text}).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/webhooks/rest/webhook", data=body, headers={"Content-Type": "application/json"}
    )
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 (local URL)
        response.read()
    return (time.perf_counter() - start) * 1000


def main() -> int:
    """Run the benchmark and print a Markdown summary."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=200)
    args = parser.parse_args()
    env = dict(os.environ)
    env.update(
        {
            "RASA_PORT": free_port_str(),
            "ACTION_PORT": free_port_str(),
            "CONSOLE_PORT": free_port_str(),
            "PIMMS_DATA_DIR": str(Path(__file__).resolve().parent.parent / "var" / "bench-latency"),
        }
    )
    stack = Stack(env=env, model=ensure_model(), write=lambda line: None)
    stack.start()
    try:
        port = env["RASA_PORT"]
        for text in MESSAGES:  # warm-up
            post(port, "bench-warmup", text)
        timings = [post(port, f"bench-{i % 10}", MESSAGES[i % len(MESSAGES)]) for i in range(args.messages)]
        timings.sort()
        p95 = timings[int(len(timings) * 0.95) - 1]
        print(
            f"| messages | p50 ms | p95 ms | max ms |\n|---|---|---|---|\n"
            f"| {len(timings)} | {statistics.median(timings):.0f} | {p95:.0f} | {timings[-1]:.0f} |\n"
        )
        print("| process | RSS MB |\n|---|---|")
        for name, proc in stack.processes.items():
            if proc.process:
                rss = psutil.Process(proc.process.pid).memory_info().rss / 2**20
                print(f"| {name} | {rss:.0f} |")
    finally:
        stack.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
