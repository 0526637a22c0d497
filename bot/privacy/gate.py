"""Privacy requests handled before the assistant sees a message (every channel wraps Rasa with it).

- EFFACER (and short forms) -> the confirmation question with a one-time 4-digit code ("Pour confirmer,
  répondez EFFACER 4821"); that answer -> erasure, then the reply; NON -> nothing. The code goes to the real
  phone or account, so a forged SMS sender (Twilio's From can be spoofed) cannot confirm blind. A bare OUI
  repeats the code; a wrong code cancels. The NLU intent ``privacy_erase`` asks the same confirmation
  (``ask_confirmation``), so natural phrasings end here too. Erasure runs outside Rasa's turn: nothing
  re-creates the tracker afterwards.
- MES DONNEES -> what is kept, why, how long, how to erase, whom to contact.
- The first message of a new sender -> a one-time short notice after the assistant's answer (recorded with
  an expiry refreshed at each message, so it is not repeated while the person is known).
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import redis.asyncio as aioredis

from bot.identity import kind_of
from bot.language.store import stored_language
from bot.language.texts import localize
from bot.outbound.senders import Send
from bot.privacy import keywords, messages
from bot.privacy.erase import ErasureReport
from bot.privacy.keys import PRIVACY_PREFIX
from bot.reminders.store import ReminderStore

log = logging.getLogger(__name__)
CONFIRM_TTL_SECONDS = 15 * 60
MAX_WRONG_CODES = 3  # per sender and day: a blind guesser gets 3 tries in 9000, then the counter must do it
WRONG_CODES_TTL_SECONDS = 24 * 3600
LATE_SWEEP_SECONDS = 5.0


class EraserLike(Protocol):
    """``bot.privacy.erase.Eraser``."""

    async def erase(self, sender_id: str) -> ErasureReport:
        """Erase everything about the sender."""

    async def sweep(self, sender_id: str) -> None:
        """Delete what the last reply re-created."""


def confirm_key(sender_id: str) -> str:
    """Set while an erasure waits for the resident's OUI."""
    return f"{PRIVACY_PREFIX}confirm:{sender_id}"


def wrong_codes_key(sender_id: str) -> str:
    """Wrong confirmation codes of the last day."""
    return f"{PRIVACY_PREFIX}wrong:{sender_id}"


def noticed_key(sender_id: str) -> str:
    """Set once the first-contact notice was sent."""
    return f"{PRIVACY_PREFIX}noticed:{sender_id}"


def new_code() -> str:
    """A one-time confirmation code: four digits, never starting with 0 (read aloud, typed on a keypad)."""
    return str(1000 + secrets.randbelow(9000))


async def ask_confirmation(
    redis: aioredis.Redis, sender_id: str, language: str = "fr"
) -> tuple[str, list[dict[str, Any]] | None]:
    """Remember a new code that the next answer of this sender must give; the question and its buttons."""
    code = new_code()
    await redis.set(confirm_key(sender_id), code, ex=CONFIRM_TTL_SECONDS)
    return messages.confirm_erase(code, language), confirmation_buttons(sender_id, code, language)


def confirmation_buttons(sender_id: str, code: str, language: str = "fr") -> list[dict[str, Any]] | None:
    """Buttons only where the channel authenticates the sender: over SMS, "1" would confirm for a forged From."""
    return messages.confirm_buttons(code, language) if kind_of(sender_id).authenticated else None


@dataclass(frozen=True)
class Decision:
    """What the channel does with a message."""

    consumed: bool
    notice: bool = False


class PrivacyGate:
    """Deterministic privacy handling for one channel process."""

    def __init__(
        self,
        redis: aioredis.Redis,
        eraser: Callable[[], EraserLike],
        *,
        retention_days: int,
        retention_seconds: int,
        contact: Callable[[str], str],
        notice: bool = True,
    ) -> None:
        self.redis = redis
        self.eraser = eraser
        self.retention_days = retention_days
        self.retention_seconds = retention_seconds
        self.contact = contact
        self.notice = notice
        self.late_sweep_seconds = LATE_SWEEP_SECONDS
        self._tasks: set[asyncio.Task[None]] = set()

    async def accepts_while_opted_out(self, sender_id: str, text: str) -> bool:
        """Privacy requests are answered even after STOP (the person writes to us about their data)."""
        if keywords.classify(text) is not None:
            return True
        pending = await self.redis.get(confirm_key(sender_id))
        if pending is None:
            return False
        return keywords.answer(text, pending.decode() if isinstance(pending, bytes) else str(pending)) is not None

    async def language(self, sender_id: str) -> str:
        """The sender's language (chosen or detected at admission, issue 23), French when none is kept."""
        return await stored_language(self.redis, sender_id)

    async def before(self, sender_id: str, text: str, send: Send) -> Decision:
        """Handle a privacy request (``consumed``), else let the message through to the assistant."""
        language = await self.language(sender_id)
        pending = await self.redis.get(confirm_key(sender_id))
        if pending is not None:
            code = pending.decode() if isinstance(pending, bytes) else str(pending)
            reply = keywords.answer(text, code)
            if reply == "no_code":  # "OUI" alone: the question stays open, with the same code
                await send(messages.code_reminder(code, language), force=True)
                return Decision(consumed=True)
            await self.redis.delete(confirm_key(sender_id))
            if reply == "yes":
                await self._erase(sender_id, send, language)
                return Decision(consumed=True)
            if reply == "no":
                await send(localize(messages.KEPT, language), force=True)
                return Decision(consumed=True)
            if reply == "wrong_code":
                async with self.redis.pipeline(transaction=True) as pipe:
                    pipe.incr(wrong_codes_key(sender_id))
                    pipe.expire(wrong_codes_key(sender_id), WRONG_CODES_TTL_SECONDS)
                    await pipe.execute()
                await send(localize(messages.WRONG_CODE, language), force=True)
                return Decision(consumed=True)
        keyword = keywords.classify(text)
        if keyword == "erase" and int(await self.redis.get(wrong_codes_key(sender_id)) or 0) >= MAX_WRONG_CODES:
            await send(localize(messages.TOO_MANY_CODES, language).format(contact=self.contact(language)), force=True)
            return Decision(consumed=True)
        if keyword == "erase":
            question, buttons = await ask_confirmation(self.redis, sender_id, language)
            await send(question, buttons, force=True)
            return Decision(consumed=True)
        if keyword == "info":
            await send(messages.info(self.retention_days, self.contact(language), language), force=True)
            reminders = await ReminderStore(self.redis).data_notice(sender_id, language)
            if reminders:
                await send(reminders, force=True)
            return Decision(consumed=True)
        return Decision(consumed=False, notice=self.notice and await self._first_contact(sender_id))

    async def after(self, decision: Decision, send: Send, sender_id: str | None = None) -> None:
        """After the assistant answered: the one-time notice for a new sender (in their language when known)."""
        if decision.notice:
            language = await self.language(sender_id) if sender_id else "fr"
            await send(messages.first_contact_notice(self.retention_days, language))

    async def _first_contact(self, sender_id: str) -> bool:
        key = noticed_key(sender_id)
        if await self.redis.set(key, "1", nx=True, ex=self.retention_seconds):
            return True
        await self.redis.expire(key, self.retention_seconds)
        return False

    async def _erase(self, sender_id: str, send: Send, language: str = "fr") -> None:
        eraser = self.eraser()
        try:
            report = await eraser.erase(sender_id)
        except Exception:
            log.exception("erasure failed")
            await send(localize(messages.ERASE_FAILED, language).format(contact=self.contact(language)), force=True)
            return
        try:
            await send(messages.erased(report.upcoming_cancelled, report.opted_out, language), force=True)
        finally:
            await eraser.sweep(sender_id)
        task = asyncio.get_running_loop().create_task(self._late_sweep(eraser, sender_id))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _late_sweep(self, eraser: EraserLike, sender_id: str) -> None:
        """Once more a few seconds later, for what requests in flight at erasure time wrote afterwards."""
        await asyncio.sleep(self.late_sweep_seconds)
        try:
            await eraser.sweep(sender_id)
        except Exception:
            log.exception("late sweep after erasure failed")
