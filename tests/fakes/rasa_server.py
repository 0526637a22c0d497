"""A local HTTP server standing for Rasa's conversation API (tracker, events, execute), JWT-protected like
the real stack's Rasa (JWT key derived from the API token, admin role required)."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote, urlparse

import jwt

from bot.security.rasa_auth import jwt_key
from tests.fakes.base import RecordingServer

PATH = re.compile(r"^/conversations/([^/]+)/(tracker|tracker/events|execute)$")
FORM_QUESTION = "Quel jour vous convient ?"


class FakeRasa:
    """Keeps trackers in memory and applies pause/resume/slot/bot/action events like Rasa."""

    def __init__(
        self, token: str = "rasa-test-token", on_save: Callable[[str, dict[str, Any]], None] | None = None
    ) -> None:
        self.token = token
        self.on_save = on_save  # called after each change, like Rasa's tracker store (stores/tracker_store.py)
        self.requests = 0  # HTTP requests served (the watcher must not poll)
        self.trackers: dict[str, dict[str, Any]] = {}
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _reply(self, status: int, body: Any) -> None:
                RecordingServer.reply(self, status, body)

            def _route(self) -> tuple[str, str] | None:
                fake.requests += 1
                url = urlparse(self.path)
                if not fake.authorized(self.headers.get("Authorization", "")):
                    self._reply(401, {"error": "token"})
                    return None
                match = PATH.match(url.path)
                if not match:
                    self._reply(404, {})
                    return None
                return unquote(match.group(1)), match.group(2)

            def do_GET(self) -> None:  # noqa: N802 (http.server API)
                route = self._route()
                if route:
                    self._reply(200, fake.tracker(route[0]))

            def do_POST(self) -> None:  # noqa: N802 (http.server API)
                route = self._route()
                if not route:
                    return
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"null")
                sender_id, what = route
                if what == "tracker/events":
                    fake.append(sender_id, body if isinstance(body, list) else [body])
                    self._reply(200, fake.tracker(sender_id))
                else:
                    sent = fake.execute(sender_id, body["name"])
                    self._reply(200, {"tracker": fake.tracker(sender_id), "messages": sent})

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def authorized(self, header: str) -> bool:
        """Whether the request carries a valid admin JWT signed with the token (Rasa's check)."""
        scheme, _, value = header.partition(" ")
        if scheme != "Bearer":
            return False
        try:
            payload = jwt.decode(value, jwt_key(self.token), algorithms=["HS256"])
        except jwt.PyJWTError:
            return False
        return bool(payload.get("user", {}).get("role") == "admin")

    def tracker(self, sender_id: str) -> dict[str, Any]:
        """The tracker as Rasa's API returns it."""
        with self.lock:
            empty = {"sender_id": sender_id, "events": [], "paused": False, "active_loop": {}, "slots": {}}
            return json.loads(json.dumps(self.trackers.setdefault(sender_id, empty)))

    def append(self, sender_id: str, events: list[dict[str, Any]]) -> None:
        """Apply events (pause, resume, slot, active_loop, bot, user, action)."""
        self.tracker(sender_id)
        with self.lock:
            tracker = self.trackers[sender_id]
            for event in events:
                event = {"timestamp": time.time(), **event}
                tracker["events"].append(event)
                if event["event"] in ("pause", "resume"):
                    tracker["paused"] = event["event"] == "pause"
                elif event["event"] == "slot":
                    tracker["slots"][event["name"]] = event.get("value")
                elif event["event"] == "active_loop":
                    tracker["active_loop"] = {"name": event["name"]} if event.get("name") else {}
        if self.on_save is not None:
            self.on_save(sender_id, self.tracker(sender_id))

    def user(self, sender_id: str, text: str) -> None:
        """The resident writes (recorded even while paused, as Rasa does)."""
        self.append(sender_id, [{"event": "user", "text": text, "parse_data": {"intent": {"name": "x"}}}])

    def execute(self, sender_id: str, action: str) -> list[dict[str, Any]]:
        """Run an action: a form asks its next question; anything else says nothing."""
        events: list[dict[str, Any]] = [{"event": "action", "name": action}]
        messages = []
        if self.tracker(sender_id)["active_loop"].get("name") == action:
            events.append({"event": "bot", "text": FORM_QUESTION})
            messages.append({"recipient_id": sender_id, "text": FORM_QUESTION})
        self.append(sender_id, events)
        return messages

    def dialogue(self, sender_id: str) -> list[tuple[str, str, dict[str, Any]]]:
        """(kind, text, metadata) of the user and bot events."""
        return [
            (e["event"], e.get("text", ""), e.get("metadata") or {})
            for e in self.tracker(sender_id)["events"]
            if e["event"] in ("user", "bot")
        ]

    def close(self) -> None:
        """Stop the server."""
        self.server.shutdown()
