"""Load generator for Rasa's REST channel: N conversations at a time, each sending its messages in turn.

Used by `make bench` (bench/compare.py) for both bots and by the burst stack test. A reply is an error when the
HTTP call fails or when Rasa answers with no message at all (its REST channel answers ``200 []`` when a turn
fails, e.g. a lock error).
"""

from __future__ import annotations

import asyncio
import math
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx

# What residents write, as measured by the latency and load benchmarks (one list for all of them).
RESIDENT_TEXTS = [
    "bonjour",
    "cmt faire mon actualisation",
    "c koi le numero de la caf",
    "quels sont vos horaires",
    "je veux un rdv",
    "1",
    "laisse tomber",
    "merci bcp",
    "jsp cmt faire ma decla",
    "vous etes ou",
]


@dataclass
class Turn:
    """One message and what came back."""

    sender: str
    text: str
    seconds: float
    replies: list[dict[str, Any]] = field(default_factory=list)
    error: str = ""

    @property
    def ok(self) -> bool:
        """Answered with at least one message."""
        return not self.error and any(r.get("text") or r.get("buttons") or r.get("image") for r in self.replies)


async def send(client: httpx.AsyncClient, url: str, sender: str, text: str) -> Turn:
    """POST one message to ``/webhooks/rest/webhook``."""
    start = time.perf_counter()
    try:
        response = await client.post(url, json={"sender": sender, "message": text})
        elapsed = time.perf_counter() - start
        if response.status_code != 200:
            return Turn(sender, text, elapsed, error=f"HTTP {response.status_code}")
        body = response.json()
        return Turn(sender, text, elapsed, replies=body if isinstance(body, list) else [])
    except (httpx.HTTPError, ValueError) as exc:
        return Turn(sender, text, time.perf_counter() - start, error=type(exc).__name__)


async def conversation(client: httpx.AsyncClient, url: str, sender: str, texts: Sequence[str]) -> list[Turn]:
    """Send the messages one after the other, each after the previous answer."""
    return [await send(client, url, sender, text) for text in texts]


async def run_load(
    url: str, conversations: Sequence[tuple[str, Sequence[str]]], concurrency: int, timeout: float = 60.0
) -> tuple[list[Turn], float]:
    """Run the conversations, ``concurrency`` at a time; return every turn and the elapsed seconds."""
    limits = httpx.Limits(max_connections=concurrency * 2, max_keepalive_connections=concurrency * 2)
    queue: asyncio.Queue[tuple[str, Sequence[str]]] = asyncio.Queue()
    for item in conversations:
        queue.put_nowait(item)
    turns: list[Turn] = []

    async def user(client: httpx.AsyncClient) -> None:
        while not queue.empty():
            sender, texts = queue.get_nowait()
            turns.extend(await conversation(client, url, sender, texts))

    async with httpx.AsyncClient(timeout=timeout, limits=limits) as client:
        start = time.perf_counter()
        await asyncio.gather(*(user(client) for _ in range(concurrency)))
        elapsed = time.perf_counter() - start
    return turns, elapsed


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile (0 when empty)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(fraction * len(ordered)) - 1))]


def summarise(turns: Sequence[Turn], elapsed: float) -> dict[str, float]:
    """p50/p95 in ms, messages per second, error count."""
    seconds = [t.seconds for t in turns]
    return {
        "messages": len(turns),
        "p50_ms": round(statistics.median(seconds) * 1000, 1) if seconds else 0.0,
        "p95_ms": round(percentile(seconds, 0.95) * 1000, 1),
        "throughput": round(len(turns) / elapsed, 1) if elapsed else 0.0,
        "errors": sum(1 for t in turns if not t.ok),
    }
