"""What the assistant remembers of a sender's language, in Redis (``pimms:language:{sender}``, registered in
``bot/privacy/keys.yml``: erasure deletes it, the export shows it). It expires like the conversation, after
``ttl_seconds`` without a message (``Settings.retention_seconds``); every write renews it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Literal

import redis.asyncio as aioredis

from bot.language.codes import Language

KEY_PREFIX = "pimms:language:"
Source = Literal["choice", "detected"]


def language_key(sender_id: str) -> str:
    """The key of one sender."""
    return f"{KEY_PREFIX}{sender_id}"


@dataclass(frozen=True)
class Preference:
    """The language to answer in, whether the resident chose it or it was detected, and whether the menu is open."""

    language: Language
    source: Source
    menu_open: bool = False

    def to_json(self) -> str:
        """Serialised for Redis."""
        return json.dumps({"language": self.language.value, "source": self.source, "menu_open": self.menu_open})

    @classmethod
    def from_json(cls, raw: bytes | str) -> Preference | None:
        """Parsed from Redis; None when unreadable (an unknown code after a language was removed)."""
        try:
            data = json.loads(raw)
            source: Source = "choice" if data.get("source") == "choice" else "detected"
            return cls(Language(data["language"]), source, bool(data.get("menu_open")))
        except (ValueError, KeyError, TypeError):
            return None


class LanguageStore:
    """One preference per sender, expiring with the sender's activity."""

    def __init__(self, client: aioredis.Redis, ttl_seconds: int) -> None:
        if ttl_seconds <= 0:
            raise ValueError("a per-resident key must expire")
        self._client = client
        self._ttl = ttl_seconds

    async def get(self, sender_id: str) -> Preference | None:
        """The stored preference, or None (nothing stored: French)."""
        raw = await self._client.get(language_key(sender_id))
        return Preference.from_json(raw) if raw else None

    async def save(self, sender_id: str, preference: Preference) -> None:
        """Store (and renew the expiry)."""
        await self._client.set(language_key(sender_id), preference.to_json(), ex=self._ttl)

    async def touch(self, sender_id: str) -> None:
        """Renew the expiry at a message that changed nothing."""
        await self._client.expire(language_key(sender_id), self._ttl)

    async def forget(self, sender_id: str) -> None:
        """Delete (back to French)."""
        await self._client.delete(language_key(sender_id))


async def stored_language(client: aioredis.Redis, sender_id: str) -> str:
    """The code of the language a sender is answered in, French when nothing is stored (read only)."""
    raw = await client.get(language_key(sender_id))
    preference = Preference.from_json(raw) if raw else None
    return preference.language.value if preference is not None else "fr"
