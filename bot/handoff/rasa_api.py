"""The few calls of Rasa's token-protected HTTP API the hand-off needs."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import httpx

from bot.security.rasa_auth import BearerToken

UNREAD_INTENT = "nlu_fallback"


class RasaApiError(Exception):
    """Rasa's HTTP API failed or is unreachable."""


class RasaApi:
    """Async client of ``/conversations/{id}/...`` (tracker, events, execute)."""

    def __init__(
        self, base_url: str, token: str, client: httpx.AsyncClient | None = None, timeout: float = 30.0
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._auth = BearerToken(token)
        self._client = client
        self._timeout = timeout

    async def _call(
        self, method: str, sender_id: str, path: str, json: Any = None, params: dict[str, str] | None = None
    ) -> Any:
        url = f"{self.base_url}/conversations/{quote(sender_id, safe='')}/{path}"
        # The token travels in a header (a JWT), never in the URL: URLs end up in access logs.
        query = dict(params or {})
        if self._client is None:
            # One pooled client: building one loads the CA bundle, which blocks the event loop.
            self._client = httpx.AsyncClient(timeout=self._timeout)
        try:
            response = await self._client.request(method, url, params=query, json=json, headers=self._auth.headers())
        except httpx.HTTPError as exc:
            raise RasaApiError(f"Rasa API unreachable: {type(exc).__name__}") from exc
        if response.status_code >= 400:
            raise RasaApiError(f"Rasa API {method} {path}: HTTP {response.status_code}")
        return response.json() if response.content else None

    async def close(self) -> None:
        """Close the pooled HTTP client."""
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def tracker(self, sender_id: str) -> dict[str, Any]:
        """The full tracker (all events)."""
        tracker: dict[str, Any] = await self._call("GET", sender_id, "tracker", params={"include_events": "ALL"})
        return tracker

    async def append_events(self, sender_id: str, events: list[dict[str, Any]]) -> None:
        """Append events without running any side effect (nothing is sent)."""
        await self._call("POST", sender_id, "tracker/events", json=events, params={"include_events": "NONE"})

    async def record_bot_message(self, sender_id: str, text: str, metadata: dict[str, Any]) -> None:
        """Record a message already delivered to the resident (e.g. a mediator's reply)."""
        await self.append_events(sender_id, [{"event": "bot", "text": text, "metadata": metadata}])

    async def record_user_message(self, sender_id: str, text: str, metadata: dict[str, Any]) -> None:
        """Record a resident's message without a turn (nothing predicted, nothing sent): an opted-out sender.

        Rasa needs parse data for a user event; ``nlu_fallback`` (a default intent, in every domain) at
        confidence 0 says it was never understood, and keeps the text out of later featurisation.
        """
        parse = {"intent": {"name": UNREAD_INTENT, "confidence": 0.0}, "entities": [], "text": text}
        await self.append_events(
            sender_id, [{"event": "user", "text": text, "parse_data": parse, "metadata": metadata}]
        )

    async def execute(self, sender_id: str, action: str) -> list[dict[str, Any]]:
        """Run one action; returns the messages it produced (to be delivered by the caller)."""
        body = await self._call("POST", sender_id, "execute", json={"name": action}, params={"include_events": "NONE"})
        return list((body or {}).get("messages") or [])


def dialogue_events(tracker: dict[str, Any]) -> list[dict[str, Any]]:
    """User and bot messages of a tracker, oldest first, as ``{"who", "text", "at", "mediator"}``."""
    lines = []
    for event in tracker.get("events") or []:
        kind = event.get("event")
        if kind not in ("user", "bot") or not event.get("text"):
            continue
        metadata = event.get("metadata") or {}
        if kind == "user" and str(event.get("text", "")).startswith("EXTERNAL: "):
            continue
        who = "resident" if kind == "user" else ("mediator" if metadata.get("mediator") else "assistant")
        lines.append(
            {
                "who": who,
                "text": str(event["text"]),
                "at": float(event.get("timestamp") or 0),
                "mediator": str(metadata.get("mediator") or ""),
                "delivery_id": str(metadata.get("delivery_id") or ""),
            }
        )
    return lines
