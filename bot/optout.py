"""SMS opt-out / opt-in keywords (French) and the opt-out store in Redis."""

from __future__ import annotations

from typing import Literal

import redis.asyncio as aioredis

from bot import redis_connect
from bot.activity.log import OPTOUT, ActivityLog
from bot.optout_intent import STOP, SUGGEST_STOP, decide
from bot.text import normalize

# "suggest_stop": a refusal in words, answered with a hint to send STOP (bot.optout_intent).
Keyword = Literal["stop", "suggest_stop", "start", "help"]

_START_WORDS = {"start", "unstop", "reprendre", "reprise", "start sms", "reprendre sms", "je veux reprendre"}
_HELP_WORDS = {"aide", "help", "aide sms", "info aide"}


def classify_keyword(text: str) -> Keyword | None:
    """Recognise STOP / START / AIDE in an SMS, and refusals in words that only get a hint to send STOP."""
    norm = normalize(text)
    decision = decide(norm)
    if decision == STOP:
        return "stop"
    if decision == SUGGEST_STOP:
        return "suggest_stop"
    if norm in _START_WORDS:
        return "start"
    if norm in _HELP_WORDS:
        return "help"
    return None


class OptOutStore:
    """Who asked not to be contacted (by sender id); no expiry."""

    def __init__(self, client: aioredis.Redis, activity: ActivityLog | None = None) -> None:
        self._client = client
        self._activity = activity

    @staticmethod
    def key_of(sender_id: str) -> str:
        """The opt-out key of a sender (read atomically by the reminders' claim)."""
        return f"pimms:optout:{sender_id}"

    _key = key_of

    async def opt_out(self, sender_id: str) -> None:
        """Record that nothing more may be sent to this sender (counted once in the activity log)."""
        first = await self._client.set(self._key(sender_id), "1", get=True) is None
        await redis_connect.replicated(self._client, "opt-out")
        if first and self._activity is not None:
            await self._activity.record(OPTOUT, sender_id)

    async def opt_in(self, sender_id: str) -> None:
        """Allow messages again."""
        await self._client.delete(self._key(sender_id))
        await redis_connect.replicated(self._client, "opt-in")

    async def is_opted_out(self, sender_id: str) -> bool:
        """Whether the sender asked to stop."""
        return bool(await self._client.exists(self._key(sender_id)))
