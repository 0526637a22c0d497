"""A threaded local HTTP server recording what it receives."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class RecordingServer:
    """Base for the fakes: 127.0.0.1, port 0, its own thread; ``messages`` in arrival order."""

    def __init__(self) -> None:
        self.messages: list[dict[str, Any]] = []
        self.calls: list[dict[str, Any]] = []
        self.fail_next = 0
        self.fail_status = 500  # what a failing request answers (Telegram: 429 carries retry_after)
        self.retry_after = 1
        self._lock = threading.Condition()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>``."""
        assert self._httpd is not None, "server not started"
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def start(self) -> RecordingServer:
        """Bind and serve in a daemon thread."""
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server API)
                owner._dispatch(self)

            def do_GET(self) -> None:  # noqa: N802
                owner._dispatch(self)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                return

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Shut the server down."""
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def clear(self) -> None:
        """Forget recorded messages and calls, and any pending failure."""
        with self._lock:
            self.messages.clear()
            self.calls.clear()
            self.fail_next = 0
            self.fail_status = 500

    def record(self, message: dict[str, Any] | None, call: dict[str, Any]) -> None:
        """Store a call (and a message), waking up waiters."""
        with self._lock:
            self.calls.append(call)
            if message is not None:
                self.messages.append(message)
            self._lock.notify_all()

    def take_failure(self) -> bool:
        """Whether this request must fail (``fail_next`` counts down)."""
        with self._lock:
            if self.fail_next > 0:
                self.fail_next -= 1
                return True
            return False

    def wait_for(self, count: int, timeout: float = 10.0) -> list[dict[str, Any]]:
        """Block until at least ``count`` messages arrived; return them (raise on timeout)."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while len(self.messages) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"expected {count} messages, got {len(self.messages)}: {self.messages}")
                self._lock.wait(remaining)
            return list(self.messages)

    def _dispatch(self, handler: BaseHTTPRequestHandler) -> None:
        raise NotImplementedError

    @staticmethod
    def reply(handler: BaseHTTPRequestHandler, status: int, body: Any) -> None:
        """Write a JSON answer."""
        data = json.dumps(body).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)
