"""How a turn's cost grows with the length of one conversation (issue 27: a resident who writes for months).

Usage (heavy, alone on the machine; about 5 minutes before the bound, 2 after): ``make bench-growth``, or::

    .venv/bin/python bench/turn_growth.py [--model models/pimms.tar.gz] [--messages 300] [--conversations 3]

Starts embedded Redis and the action server, loads the model in this process with the endpoints file the stack
generates (our tracker and lock stores; the start-up is bench/profile_turn.py's ``agent_stack``), then sends the
latency benchmark's 10-message mix over and over in ONE conversation and times each turn (``Agent.handle_text``,
wall time). Three such conversations run in a row by default; a message's time is the median of its three.

It prints, at messages 1, 10, 100 and 300, the median turn time of the 10 messages around it (one pass through the
mix: every window does the same work) and what is stored after that message (the tracker key Rasa loads at every
turn, the archive of older events), then the ratio of the 300th to the 10th (goal: at most 1.2). The first
conversation's answers go to var/bench/turn_growth-replies.json: two runs' files compared say whether a change
altered any answer.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

POINTS = (1, 10, 100, 300)
WINDOW = 10  # one pass through the message mix
TRACKER_PREFIX = "pimmstracker:tracker:"
ARCHIVE_PREFIX = "pimmstracker:archive:"
REPLIES_FILE = ROOT / "var" / "bench" / "turn_growth-replies.json"


async def run(
    model: Path, endpoints_file: Path, redis_url: str, messages: int, conversations: int
) -> tuple[list[float], dict[int, str]]:
    """Turn times in seconds (per message, the median over the conversations), and at each point what the last
    conversation stored (sizes, events)."""
    import redis.asyncio as aioredis
    from rasa.core.agent import load_agent
    from rasa.core.utils import AvailableEndpoints

    from bench.loadgen import RESIDENT_TEXTS

    endpoints = AvailableEndpoints.read_endpoints(str(endpoints_file))
    agent = await load_agent(model_path=str(model), endpoints=endpoints)
    assert agent is not None
    run_id = uuid.uuid4().hex[:8]
    await agent.handle_text("bonjour", sender_id=f"warm-up-{run_id}")
    client = aioredis.Redis.from_url(redis_url)
    times: list[list[float]] = [[] for _ in range(messages)]
    stored: dict[int, str] = {}
    replies: list[list[str]] = []
    for conversation in range(conversations):
        sender = f"growth-{run_id}-{conversation}"
        for index in range(messages):
            start = time.perf_counter()
            answer = await agent.handle_text(RESIDENT_TEXTS[index % len(RESIDENT_TEXTS)], sender_id=sender)
            times[index].append(time.perf_counter() - start)
            if conversation == 0:
                replies.append([str(reply.get("text") or "") for reply in answer or []])
            if index + 1 in POINTS:
                stored[index + 1] = await describe_stored(client, sender)
    await client.close()
    # The first conversation's answers: comparing two runs' files shows whether a change altered any answer.
    REPLIES_FILE.parent.mkdir(parents=True, exist_ok=True)
    REPLIES_FILE.write_text(json.dumps(replies, ensure_ascii=False, indent=0), encoding="utf-8")
    return [statistics.median(per_message) for per_message in times], stored


async def describe_stored(client: Any, sender: str) -> str:
    """The tracker key's size and events, and the archive's (``pimmstracker:archive:<sender>``, a list of chunks)."""
    raw = await client.get(f"{TRACKER_PREFIX}{sender}")
    events = len(json.loads(raw)["events"]) if raw else 0
    chunks = await client.lrange(f"{ARCHIVE_PREFIX}{sender}", 0, -1)
    archived = sum(len(json.loads(chunk)) for chunk in chunks)
    size = sum(len(chunk) for chunk in chunks)
    return f"{len(raw or b'') / 1024:8.1f} KB {events:5d} ev   {size / 1024:8.1f} KB {archived:5d} ev"


def around(times: list[float], message: int, width: int = WINDOW) -> float:
    """Median turn time (ms) of the ``width`` messages around ``message`` (1-based), within the run."""
    first = max(0, min(message - 1 - width // 2, len(times) - width))
    return statistics.median(times[first : first + width]) * 1000


def main(argv: list[str] | None = None) -> int:
    """Start Redis and the action server, run one long conversation, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "pimms.tar.gz")
    parser.add_argument("--messages", type=int, default=max(POINTS))
    parser.add_argument("--conversations", type=int, default=3, help="conversations in a row (the machine is shared)")
    args = parser.parse_args(argv)
    from bench.profile_turn import agent_stack

    with agent_stack(args.model) as (endpoints_file, redis_url):
        times, stored = asyncio.run(run(args.model, endpoints_file, redis_url, args.messages, args.conversations))
    print(f"message  turn ms (median of {WINDOW} around it)  tracker key (size, events)  archive (size, events)")
    for point in (p for p in POINTS if p <= len(times)):
        print(f"{point:7d}  {around(times, point):10.1f}        {stored.get(point, '')}")
    if len(times) >= 300:
        print(f"300th / 10th: {around(times, 300) / around(times, 10):.2f} (goal <= 1.2)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
