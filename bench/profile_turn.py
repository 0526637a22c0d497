"""Where the time of one turn goes: graph components, tracker load/save, lock, action calls.

Usage (heavy, alone on the machine: nothing else heavy at the same time)::

    .venv/bin/python bench/profile_turn.py [--model models/pimms.tar.gz] [--conversations 20]

Starts embedded Redis and the action server (bot.ops.stack), loads the model in this process with the endpoints
file the stack generates, sends the latency benchmark's message mix from several conversations one after the other, and
prints the mean milliseconds per turn spent in each part (wall time, measured by wrapping Rasa's methods).
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import functools
import os
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TOTALS: dict[str, float] = collections.defaultdict(float)
CALLS: dict[str, int] = collections.Counter()


def timed_async(owner: Any, name: str, label: str) -> None:
    """Wrap ``owner.name`` (a coroutine method) to add its wall time to ``TOTALS[label]``."""
    original = getattr(owner, name)

    @functools.wraps(original)
    async def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return await original(*args, **kwargs)
        finally:
            TOTALS[label] += time.perf_counter() - start

    setattr(owner, name, wrapper)


def timed_sync(owner: Any, name: str, label: Callable[[Any], str]) -> None:
    """Wrap a plain method; the label may depend on the instance (graph node names)."""
    original = getattr(owner, name)

    @functools.wraps(original)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return original(self, *args, **kwargs)
        finally:
            TOTALS[label(self)] += time.perf_counter() - start

    setattr(owner, name, wrapper)


def timed_remote_actions() -> None:
    """Wrap Rasa's remote action call: wall time and number of calls per custom action name."""
    from rasa.core.actions import action

    original = action.RemoteAction.run

    @functools.wraps(original)
    async def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return await original(self, *args, **kwargs)
        finally:
            elapsed = time.perf_counter() - start
            TOTALS["custom actions (HTTP to the action server)"] += elapsed
            TOTALS[f"  action {self.name()}"] += elapsed
            CALLS[self.name()] += 1

    action.RemoteAction.run = wrapper  # type: ignore[method-assign]


def quiet_structlog() -> None:
    """Rasa logs every policy decision through structlog, at debug level unless configured (as `rasa run` does)."""
    import logging

    import structlog

    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))


def instrument() -> None:
    """Wrap the parts of a turn worth measuring."""
    from rasa.core import processor
    from rasa.engine.graph import GraphNode

    from bot.fifo_lock import FifoLock
    from stores.tracker_store import PimmsTrackerStore

    timed_sync(GraphNode, "__call__", lambda node: "graph: " + node._node_name)
    timed_async(processor.MessageProcessor, "handle_message", "turn (total)")
    timed_async(processor.MessageProcessor, "parse_message", "NLU (parse_message)")
    timed_async(processor.MessageProcessor, "fetch_tracker_and_update_session", "tracker load")
    timed_async(PimmsTrackerStore, "save", "tracker save")
    timed_remote_actions()
    timed_async(processor.MessageProcessor, "_run_prediction_loop", "prediction loop (policies + actions)")
    timed_async(FifoLock, "acquire", "lock acquire")


async def run(model: Path, endpoints_file: Path, conversations: int) -> int:
    """Load the agent and replay the message mix; return the number of turns."""
    from rasa.core.agent import load_agent
    from rasa.core.utils import AvailableEndpoints

    from bench.loadgen import RESIDENT_TEXTS as MESSAGES

    endpoints = AvailableEndpoints.read_endpoints(str(endpoints_file))
    agent = await load_agent(model_path=str(model), endpoints=endpoints)
    assert agent is not None
    # Fresh conversations at every run: the embedded Redis keeps its data between runs.
    run_id = uuid.uuid4().hex[:8]
    await agent.handle_text("bonjour", sender_id=f"warm-up-{run_id}")
    TOTALS.clear()
    CALLS.clear()
    turns = 0
    for index in range(conversations):
        for text in MESSAGES:
            await agent.handle_text(text, sender_id=f"profile-{run_id}-{index}")
            turns += 1
    return turns


@contextlib.contextmanager
def agent_stack(model: Path) -> Iterator[tuple[Path, str]]:
    """Embedded Redis and the action server started, Rasa's logging and TensorFlow set up for an in-process agent.

    Yields the endpoints file the stack generated (our tracker and lock stores) and the Redis URL; stops the stack
    on exit. Shared by the benchmarks that load the agent in their own process (bench/turn_growth.py)."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    from bot.ops.processes import free_port_str
    from bot.ops.stack import Stack

    env = {**os.environ, "ACTION_PORT": free_port_str(), "RASA_PORT": free_port_str()}
    env.pop("REDIS_URL", None)
    stack = Stack(env=env, model=model, with_console=False, with_worker=False, write=lambda _line: None)
    stack.prepare()
    try:
        stack.start_actions()
        os.environ.update(stack.env)
        quiet_structlog()
        from rasa.utils.tensorflow.environment import setup_tf_environment

        setup_tf_environment()
        yield stack.endpoints_file, stack.env["REDIS_URL"]
    finally:
        stack.stop()


def main(argv: list[str] | None = None) -> int:
    """Start Redis and the action server, profile, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "pimms.tar.gz")
    parser.add_argument("--conversations", type=int, default=20)
    args = parser.parse_args(argv)
    with agent_stack(args.model) as (endpoints_file, _redis_url):
        instrument()
        turns = asyncio.run(run(args.model, endpoints_file, args.conversations))
    import psutil

    print(f"{turns} turns; this process (agent in-process): RSS {psutil.Process().memory_info().rss / 2**20:.0f} MB")
    print("mean ms per turn:")
    for label, seconds in sorted(TOTALS.items(), key=lambda kv: -kv[1]):
        if seconds * 1000 / turns >= 0.1:
            print(f"  {seconds * 1000 / turns:8.2f}  {label}")
    print("custom action calls per turn:")
    for name, count in CALLS.most_common():
        print(f"  {count / turns:8.2f}  {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
