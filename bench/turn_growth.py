"""How a turn's cost grows with the length of one conversation (issue 27: a resident who writes for months).

Usage (heavy, alone on the machine)::

    .venv/bin/python bench/turn_growth.py [--model models/pimms.tar.gz] [--messages 300]

Starts embedded Redis and the action server (bot.ops.stack), loads the model in this process with the endpoints file
the stack generates (our tracker and lock stores), then sends the latency benchmark's message mix, over and over,
in ONE conversation, and times each turn (``Agent.handle_text``, wall time). It prints, at messages 1, 10, 100 and
300, the median turn time of the 5 messages around it (one message alone is noisy) and the stored tracker's size,
then the ratio of the 300th to the 10th (goal: at most 1.2).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

POINTS = (1, 10, 100, 300)


async def run(model: Path, endpoints_file: Path, redis_url: str, messages: int) -> tuple[list[float], dict[int, int]]:
    """Turn times in seconds (one per message) and the stored tracker's size in bytes after each point."""
    import redis.asyncio as aioredis
    from rasa.core.agent import load_agent
    from rasa.core.utils import AvailableEndpoints

    from bench.loadgen import RESIDENT_TEXTS

    endpoints = AvailableEndpoints.read_endpoints(str(endpoints_file))
    agent = await load_agent(model_path=str(model), endpoints=endpoints)
    assert agent is not None
    run_id = uuid.uuid4().hex[:8]
    await agent.handle_text("bonjour", sender_id=f"warm-up-{run_id}")
    sender = f"growth-{run_id}"
    client = aioredis.Redis.from_url(redis_url)
    times: list[float] = []
    sizes: dict[int, int] = {}
    for index in range(messages):
        start = time.perf_counter()
        await agent.handle_text(RESIDENT_TEXTS[index % len(RESIDENT_TEXTS)], sender_id=sender)
        times.append(time.perf_counter() - start)
        if index + 1 in POINTS:
            sizes[index + 1] = int(await client.strlen(f"pimmstracker:{sender}"))
    await client.close()
    return times, sizes


def around(times: list[float], message: int, width: int = 5) -> float:
    """Median turn time (ms) of the ``width`` messages around ``message`` (1-based), within the run."""
    first = max(0, min(message - 1 - width // 2, len(times) - width))
    return statistics.median(times[first : first + width]) * 1000


def main(argv: list[str] | None = None) -> int:
    """Start Redis and the action server, run one long conversation, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "pimms.tar.gz")
    parser.add_argument("--messages", type=int, default=max(POINTS))
    args = parser.parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    from bench.profile_turn import quiet_structlog
    from bot.ops.processes import free_port_str
    from bot.ops.stack import Stack

    env = {**os.environ, "ACTION_PORT": free_port_str(), "RASA_PORT": free_port_str()}
    env.pop("REDIS_URL", None)
    stack = Stack(env=env, model=args.model, with_console=False, with_worker=False, write=lambda _line: None)
    stack.prepare()
    try:
        stack.start_actions()
        os.environ.update(stack.env)
        quiet_structlog()
        from rasa.utils.tensorflow.environment import setup_tf_environment

        setup_tf_environment()
        times, sizes = asyncio.run(run(args.model, stack.endpoints_file, stack.env["REDIS_URL"], args.messages))
    finally:
        stack.stop()
    print("message  turn ms (median of 5 around it)  stored tracker KB")
    for point in (p for p in POINTS if p <= len(times)):
        print(f"{point:7d}  {around(times, point):10.1f}  {sizes.get(point, 0) / 1024:10.1f}")
    if len(times) >= 300:
        print(f"300th / 10th: {around(times, 300) / around(times, 10):.2f} (goal <= 1.2)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
