"""Buttons over SMS: numbered choices, and the reply "1"/"2" mapped back to the payload."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import redis.asyncio as aioredis

from bot.text import normalize

_NUMBER = re.compile(r"^\s*(\d{1,2})\s*[.)]?\s*$")
TTL_SECONDS = 3600


def render_buttons(text: str, buttons: list[dict[str, Any]]) -> str:
    """``"Confirmez-vous ?\\n1. Oui\\n2. Non"``."""
    lines = [f"{index}. {button.get('title', '')}" for index, button in enumerate(buttons, start=1)]
    return "\n".join([text.rstrip(), *lines]) if text.strip() else "\n".join(lines)


def resolve_choice(text: str, buttons: list[dict[str, Any]]) -> str | None:
    """The payload chosen by ``text`` (its number or its exact title), else None."""
    match = _NUMBER.match(text)
    if match:
        index = int(match.group(1))
        if 1 <= index <= len(buttons):
            return str(buttons[index - 1].get("payload") or buttons[index - 1].get("title", ""))
        return None
    wanted = normalize(text)
    for button in buttons:
        if wanted and normalize(str(button.get("title", ""))) == wanted:
            return str(button.get("payload") or button.get("title", ""))
    return None


class ButtonMemory:
    """The last buttons shown to each SMS sender (Redis, one hour)."""

    def __init__(self, client: aioredis.Redis, ttl: int = TTL_SECONDS) -> None:
        self._client = client
        self._ttl = ttl

    @staticmethod
    def _key(sender_id: str) -> str:
        return f"pimms:sms:buttons:{sender_id}"

    async def remember(self, sender_id: str, buttons: list[dict[str, Any]]) -> None:
        """Store the buttons just sent (titles and payloads only)."""
        slim = [{"title": str(b.get("title", "")), "payload": str(b.get("payload", ""))} for b in buttons]
        await self._client.set(self._key(sender_id), json.dumps(slim), ex=self._ttl)

    async def resolve(self, sender_id: str, text: str) -> str | None:
        """Map a reply to the payload of a remembered button (then forget them), else None."""
        raw = await self._client.get(self._key(sender_id))
        if not raw:
            return None
        try:
            buttons = json.loads(raw)
        except ValueError:
            return None
        payload = resolve_choice(text, buttons)
        if payload is not None:
            await self._client.delete(self._key(sender_id))
        return payload

    async def take_callback(
        self, sender_id: str, data: str, callback_data: Callable[[dict[str, Any]], str]
    ) -> str | None:
        """The payload of the remembered button whose ``callback_data`` is ``data`` (then forget them).

        None when no such button was sent to this sender: the callback is forged or stale.
        """
        raw = await self._client.get(self._key(sender_id))
        try:
            buttons = json.loads(raw) if raw else []
        except ValueError:
            return None
        for button in buttons:
            if callback_data(button) == data:
                await self._client.delete(self._key(sender_id))
                return str(button.get("payload") or button.get("title", ""))
        return None
