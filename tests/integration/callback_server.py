"""A local HTTP server standing for a resident's device on Rasa's callback channel."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class CallbackCapture:
    """Captures the messages Rasa's callback channel (or our outbound router) posts."""

    def __init__(self) -> None:
        self.messages: list[dict[str, Any]] = []
        self._lock = threading.Condition()
        capture = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server API)
                length = int(self.headers.get("Content-Length") or 0)
                try:
                    payload = json.loads(self.rfile.read(length) or b"{}")
                except json.JSONDecodeError:
                    self.send_response(400)
                    self.end_headers()
                    return
                with capture._lock:
                    capture.messages.append(payload)
                    capture._lock.notify_all()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def for_recipient(self, recipient_id: str) -> list[dict[str, Any]]:
        """Messages addressed to one conversation."""
        with self._lock:
            return [m for m in self.messages if m.get("recipient_id") == recipient_id]

    def wait_for(self, recipient_id: str, count: int, timeout: float = 30) -> list[dict[str, Any]]:
        """Wait until ``count`` messages reached ``recipient_id``; return them."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                found = [m for m in self.messages if m.get("recipient_id") == recipient_id]
                remaining = deadline - time.monotonic()
                if len(found) >= count or remaining <= 0:
                    return found
                self._lock.wait(remaining)

    def close(self) -> None:
        """Stop the server."""
        self.server.shutdown()
