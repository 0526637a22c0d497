"""Two Rasa processes (RASA_WORKERS=2) sharing Redis: bursts lose no turn, run each turn once, in order."""

from __future__ import annotations

import asyncio
import os
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import psutil
import pytest
import redis

from bench.loadgen import run_load, send
from bot.ops.processes import free_port_str
from bot.ops.stack import Stack
from bot.security.rasa_auth import BearerToken

pytestmark = pytest.mark.stack
SCALE_DB = 8
API_TOKEN = "scale-out-test-api-token-0123456789"
TEXTS = [
    "bonjour",
    "quels sont vos horaires",
    "c koi le numero de la caf",
    "cmt faire mon actualisation",
    "vous etes ou",
    "merci bcp",
    "jsp cmt faire ma decla",
    "c est gratuit ?",
    "merci",
    "au revoir",
]


@pytest.fixture(scope="module")
def two_workers(trained_model: Path, redis_server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """Redis, the action server and Rasa with two worker processes (no console, no reminder worker)."""
    redis_url = f"{redis_server}/{SCALE_DB}"
    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    client.close()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TWILIO_", "TELEGRAM_"))}
    env.update(
        {
            "REDIS_URL": redis_url,
            "RASA_PORT": free_port_str(),
            "ACTION_PORT": free_port_str(),
            "RASA_TOKEN": API_TOKEN,
            "CONSOLE_SECRET": "scale-out-console-secret-0123456789",
            "PIMMS_DATA_DIR": str(tmp_path_factory.mktemp("var2")),
            "RASA_WORKERS": "2",
        }
    )
    logs: list[str] = []
    stack = Stack(env=env, model=trained_model, write=logs.append, with_console=False, with_worker=False)
    try:
        stack.start()
    except Exception:
        stack.stop()
        print("\n".join(logs[-80:]))
        raise
    yield stack
    stack.stop()


def _rasa_workers(stack: Stack) -> int:
    process = stack.processes["rasa"].process
    assert process is not None
    main = psutil.Process(process.pid)
    return len(main.children(recursive=True))


def _user_texts(stack: Stack, sender: str) -> list[str]:
    quoted = urllib.parse.quote(sender, safe="")
    url = f"http://127.0.0.1:{stack.env['RASA_PORT']}/conversations/{quoted}/tracker"
    tracker: dict[str, Any] = httpx.get(url, headers=BearerToken(API_TOKEN).headers(), timeout=30).json()
    return [e["text"] for e in tracker["events"] if e["event"] == "user"]


def _webhook(stack: Stack) -> str:
    return f"http://127.0.0.1:{stack.env['RASA_PORT']}/webhooks/rest/webhook"


@pytest.mark.timeout(600)
def test_fifty_conversations_of_ten_messages_over_two_processes(two_workers: Stack) -> None:
    assert _rasa_workers(two_workers) >= 2
    conversations = [(f"burst-seq-{i}", TEXTS) for i in range(50)]
    turns, _elapsed = asyncio.run(run_load(_webhook(two_workers), conversations, concurrency=50))
    assert len(turns) == 500
    assert [t for t in turns if not t.ok] == []
    for sender, texts in conversations:
        assert _user_texts(two_workers, sender) == texts


@pytest.mark.timeout(600)
def test_simultaneous_messages_of_one_sender_each_run_once(two_workers: Stack) -> None:
    """Ten messages of one conversation sent at once: the lock serialises them; none is lost or doubled."""

    async def burst() -> list[Any]:
        async with httpx.AsyncClient(timeout=120) as client:
            jobs = [
                send(client, _webhook(two_workers), f"burst-par-{c}", f"{text} {n}")
                for c in range(20)
                for n, text in enumerate(TEXTS[:5])
            ]
            return await asyncio.gather(*jobs)

    turns = asyncio.run(burst())
    assert [t for t in turns if not t.ok] == []
    for c in range(20):
        sent = sorted(f"{text} {n}" for n, text in enumerate(TEXTS[:5]))
        assert sorted(_user_texts(two_workers, f"burst-par-{c}")) == sent
