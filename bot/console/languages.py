"""Languages in the console (issue 23): the language each resident is answered in, and the languages each
mediator speaks, so that the queue shows who can answer whom.

A mediator's languages are staff settings kept beside the accounts (``pimms:console:mediator_languages``, a
hash name -> codes), set with ``python -m bot mediators languages NAME ar en`` or on the console's queue page;
they hold no resident data. The resident's language is read from ``bot.language.store`` (never written here).
"""

from __future__ import annotations

from typing import Any

import redis.asyncio as aioredis

from bot.language.codes import PRIOR, Language
from bot.language.store import stored_language

MEDIATOR_LANGUAGES_KEY = "pimms:console:mediator_languages"


def parse_codes(values: list[str]) -> list[str]:
    """Language codes from a command line or a form (``"ar, en"`` or ``["ar", "en"]``), French left out (every
    mediator speaks it), checked, in menu order; ValueError names an unknown code."""
    codes = {c.strip().lower() for value in values for c in value.replace(",", " ").split() if c.strip()}
    known = {language.value for language in Language}
    unknown = sorted(codes - known)
    if unknown:
        raise ValueError(f"langue inconnue : {', '.join(unknown)} (codes : {', '.join(sorted(known))})")
    return [language.value for language in Language if language.value in codes and language != PRIOR]


class MediatorLanguages:
    """The languages each mediator speaks besides French."""

    def __init__(self, redis: aioredis.Redis) -> None:
        self.redis = redis

    async def set(self, name: str, codes: list[str]) -> list[str]:
        """Record ``name``'s languages (none: French only); returns what was kept."""
        kept = parse_codes(codes)
        if kept:
            await self.redis.hset(MEDIATOR_LANGUAGES_KEY, name, " ".join(kept))
        else:
            await self.redis.hdel(MEDIATOR_LANGUAGES_KEY, name)
        return kept

    async def get(self, name: str) -> list[str]:
        """``name``'s languages besides French."""
        raw = await self.redis.hget(MEDIATOR_LANGUAGES_KEY, name)
        return (raw.decode() if isinstance(raw, bytes) else str(raw)).split() if raw else []

    async def all(self) -> dict[str, list[str]]:
        """Every mediator's languages."""
        raw = await self.redis.hgetall(MEDIATOR_LANGUAGES_KEY)
        return {
            (k.decode() if isinstance(k, bytes) else str(k)): (v.decode() if isinstance(v, bytes) else str(v)).split()
            for k, v in raw.items()
        }

    async def forget(self, name: str) -> None:
        """Drop a deleted account's languages."""
        await self.redis.hdel(MEDIATOR_LANGUAGES_KEY, name)


async def resident_language(redis: aioredis.Redis, sender_id: str) -> Language:
    """The language the resident is answered in (French when nothing is stored)."""
    return Language(await stored_language(redis, sender_id))


async def add_language(redis: aioredis.Redis, row: dict[str, Any], speakers: dict[str, list[str]]) -> None:
    """Add the resident's language to a queue or conversation row, and the mediators who speak it."""
    language = await resident_language(redis, row["sender_id"])
    row["language"] = language.native_name
    row["language_code"] = language.value
    row["speakers"] = (
        ", ".join(sorted(n for n, codes in speakers.items() if language.value in codes)) if language != PRIOR else ""
    )
