"""Watches held conversations through Rasa's HTTP API: new resident messages and "annuler" while waiting.

Rasa runs no action while a conversation is paused, so nothing inside Rasa can react to "annuler". The console
process polls the trackers of the (few) held conversations instead; this needs no change to Rasa's config.
"""

from __future__ import annotations

import asyncio
import logging

from bot.handoff.messages import is_cancel
from bot.handoff.models import Handoff, State
from bot.handoff.rasa_api import RasaApiError, dialogue_events
from bot.handoff.service import HandoffService
from bot.handoff.store import PREFIX

log = logging.getLogger(__name__)


def seen_key(record: Handoff) -> str:
    """How many resident messages of this hand-off the consoles were told about."""
    return f"{PREFIX}seen:{record.sender_id}:{int(record.requested_at * 1000)}"


class HandoffWatcher:
    """One polling pass per ``interval`` seconds over the held conversations."""

    def __init__(self, service: HandoffService, interval: float = 1.5) -> None:
        self.service = service
        self.interval = interval

    async def run(self) -> None:
        """Poll until cancelled."""
        while True:
            try:
                await self.tick()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("hand-off watcher: %s", exc)
            await asyncio.sleep(self.interval)

    async def tick(self) -> None:
        """Check every held conversation once."""
        for record in await self.service.store.held():
            try:
                await self.check(record)
            except RasaApiError as exc:
                log.warning("hand-off watcher for %s: %s", record.sender_id, exc)

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
