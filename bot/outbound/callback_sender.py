"""HTTP POST of bot messages to CALLBACK_URL, in the format of Rasa's callback channel."""

from __future__ import annotations

from typing import Any

import httpx


class HttpCallbackSender:
    """``CallbackSender`` posting ``{"recipient_id", "text", "buttons"}`` as JSON."""

    def __init__(self, url: str, timeout: float = 10.0) -> None:
        self._url = url
        self._timeout = timeout

    async def send_callback(self, recipient_id: str, text: str, buttons: list[dict[str, Any]] | None = None) -> None:
        """POST one message; raises ``httpx.HTTPError`` on failure."""
        payload: dict[str, Any] = {"recipient_id": recipient_id, "text": text}
        if buttons:
            payload["buttons"] = buttons
        async with httpx.AsyncClient(timeout=self._timeout) as client:
            response = await client.post(self._url, json=payload)
            response.raise_for_status()
