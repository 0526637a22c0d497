"""bench/loadgen.py against a local HTTP server speaking the REST channel's wire format."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from bench.loadgen import Turn, percentile, run_load, summarise


@pytest.fixture
def rest_server() -> Iterator[str]:
    """Answers every message with its text, except "silence" (Rasa's ``200 []`` on a failed turn)."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server API)
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            replies: list[dict[str, Any]] = [] if body["message"] == "silence" else [{"text": body["message"]}]
            data = json.dumps(replies).encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/webhooks/rest/webhook"
    server.shutdown()


def test_every_message_is_sent_in_order_and_empty_answers_are_errors(rest_server: str) -> None:
    conversations = [(f"c{i}", ["un", "deux", "silence" if i == 3 else "trois"]) for i in range(6)]
    turns, elapsed = asyncio.run(run_load(rest_server, conversations, concurrency=4))
    assert len(turns) == 18 and elapsed > 0
    for sender, texts in conversations:
        assert [t.text for t in turns if t.sender == sender] == texts
    summary = summarise(turns, elapsed)
    assert summary["errors"] == 1 and summary["messages"] == 18


def test_an_unreachable_server_is_an_error_not_a_crash() -> None:
    turns, _ = asyncio.run(run_load("http://127.0.0.1:1/webhooks/rest/webhook", [("c", ["x"])], 1, timeout=2))
    assert not turns[0].ok and turns[0].error


def test_percentile_is_nearest_rank() -> None:
    assert percentile([float(i) for i in range(1, 101)], 0.95) == 95.0
    assert percentile([], 0.95) == 0.0
    assert Turn("s", "t", 0.1, replies=[{"text": ""}]).ok is False
