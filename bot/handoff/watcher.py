"""Watches held conversations: new resident messages and "annuler" while waiting, without polling Rasa.

Rasa runs no action while a conversation is paused, so nothing inside Rasa can react to "annuler". The
tracker store announces every save of a held conversation on a Redis stream (``bot.handoff.activity``); the
watcher blocks on that stream and reads only the trackers that changed. At start it checks every held
conversation once (messages that arrived while the console was down). Resumes that failed half-way (Rasa was
down) are retried by a slow pass that reads Redis only.
"""

from __future__ import annotations

import asyncio
import logging

from bot.handoff import activity
from bot.handoff.messages import is_cancel
from bot.handoff.models import Handoff, State
from bot.handoff.rasa_api import RasaApiError, dialogue_events
from bot.handoff.service import RETRY_AFTER_SECONDS, HandoffService
from bot.handoff.store import PREFIX
from bot.identity import describe

log = logging.getLogger(__name__)
BLOCK_MS = 30_000
ERROR_PAUSE_SECONDS = 2.0


def seen_key(record: Handoff) -> str:
    """How many resident messages of this hand-off the consoles were told about."""
    return f"{PREFIX}seen:{record.sender_id}:{int(record.requested_at * 1000)}"


class HandoffWatcher:
    """Reacts to held conversations' activity; ``retry_interval`` paces the retry of pending resumes."""

    def __init__(
        self, service: HandoffService, retry_interval: float = RETRY_AFTER_SECONDS, block_ms: int = BLOCK_MS
    ) -> None:
        self.service = service
        self.retry_interval = retry_interval
        self.block_ms = block_ms

    async def run(self) -> None:
        """Catch up once, then follow the activity stream until cancelled."""
        retries = asyncio.create_task(self._retry_pending_forever())
        try:
            await self._follow()
        finally:
            retries.cancel()

    async def _follow(self) -> None:
        redis = self.service.store.redis
        position: str | None = None
        while True:
            try:
                if position is None:
                    position = await activity.latest_id(redis)
                    await self.tick()
                position, senders = await activity.wait_for_activity(redis, position, self.block_ms)
                for sender_id in senders:
                    record = await self.service.store.get(sender_id)
                    if record is not None:
                        await self._check_logged(record)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # Redis down: wait, then catch up again from scratch
                log.warning("hand-off watcher: %s", type(exc).__name__)
                position = None
                await asyncio.sleep(ERROR_PAUSE_SECONDS)

    async def _retry_pending_forever(self) -> None:
        while True:
            await asyncio.sleep(self.retry_interval)
            try:
                for record in await self.service.store.held():
                    if record.resume_pending and not record.held:
                        await self._check_logged(record)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("hand-off watcher (pending resumes): %s", type(exc).__name__)

    async def tick(self) -> None:
        """Check every held conversation once."""
        for record in await self.service.store.held():
            await self._check_logged(record)

    async def _check_logged(self, record: Handoff) -> None:
        try:
            await self.check(record)
        except RasaApiError as exc:
            log.warning("hand-off watcher for %s: %s", describe(record.sender_id), exc)

    async def check(self, record: Handoff) -> None:
        """Announce new resident messages; cancel the wait on "annuler"; finish pending resumes."""
        if not record.held:
            await self.service.retry_pending(record, self.service.store.clock())
            return
        tracker = await self.service.rasa.tracker(record.sender_id)
        since = [e for e in dialogue_events(tracker) if e["who"] == "resident" and e["at"] > record.requested_at]
        store = self.service.store
        seen = int(await store.redis.get(seen_key(record)) or 0)
        if len(since) == seen:
            return
        await store.redis.set(seen_key(record), len(since), ex=7 * 24 * 3600)
        new = since[seen:] if len(since) > seen else since
        if record.state == State.WAITING and any(is_cancel(e["text"]) for e in new):
            await self.service.cancel_by_resident(record.sender_id)
            return
        await store.publish("message", record.sender_id)
