"""Inactivity timeout: a conversation held by a mediator with no message for a while goes back to the queue.

"A while" is ``HANDOFF_IDLE_TIMEOUT`` seconds of the counters' opening time (default 3 h): a conversation
left at closing time is not returned during the night, but three opening hours later.

Activity is the latest of: the last transition (claim, transfer, take-over), the last mediator message and
the last resident message (``last_seen.touch``: mediator replies and the channels' paused-message gate).
The console runs ``IdleSweeper.run`` next to the hand-off watcher; the clock is injected.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import redis.asyncio as aioredis

from bot.clock import PARIS
from bot.handoff import messages
from bot.handoff.last_seen import last_touched
from bot.handoff.models import Handoff, TransitionError
from bot.handoff.waiting import hold_acknowledgements
from bot.sites import Site

if TYPE_CHECKING:
    from bot.handoff.service import HandoffService

log = logging.getLogger(__name__)
DEFAULT_TIMEOUT = 3 * 3600
MAX_DAYS = 62


async def last_activity(redis: aioredis.Redis, record: Handoff) -> float:
    """When the conversation last moved (a message or a transition)."""
    moved = datetime.fromisoformat(record.history[-1].at).timestamp() if record.history else 0.0
    return max(await last_touched(redis, record.sender_id), moved, record.requested_at)


def open_seconds(site: Site, start: float, end: float, tz: ZoneInfo) -> float:
    """Seconds of opening time of ``site`` between two instants (closures and public holidays excluded)."""
    low, high = datetime.fromtimestamp(start, tz), datetime.fromtimestamp(end, tz)
    total, day = 0.0, low.date()
    while day <= high.date() and (day - low.date()).days <= MAX_DAYS:
        for span in site.spans_on(day):
            begin = max(datetime.combine(day, span.start, tzinfo=tz), low)
            finish = min(datetime.combine(day, span.end, tzinfo=tz), high)
            if finish > begin:
                total += (finish - begin).total_seconds()
        day += timedelta(days=1)
    return total


class IdleSweeper:
    """Returns held conversations idle for ``timeout`` seconds to the queue and tells the resident.

    With a ``site``, only its opening hours count (3 h = three hours of counter time, not a night).
    """

    def __init__(
        self,
        service: HandoffService,
        timeout: int = DEFAULT_TIMEOUT,
        clock: Callable[[], float] = time.time,
        ack_interval: int = 300,
        site: Callable[[], Site] | None = None,
        tz: ZoneInfo | None = None,
    ) -> None:
        self.service = service
        self.timeout = timeout
        self.clock = clock
        self.ack_interval = ack_interval
        self.site = site
        self.tz = tz or PARIS

    def idle_for(self, since: float, now: float) -> float:
        """Idle time that counts: opening time with a site, else wall time."""
        return now - since if self.site is None else open_seconds(self.site(), since, now, self.tz)

    def _message(self, now: float) -> str:
        if self.site is None:
            return messages.BACK_IN_QUEUE
        return messages.back_in_queue(self.site(), datetime.fromtimestamp(now, self.tz), self.tz)

    async def sweep(self) -> list[str]:
        """One pass; the sender ids returned to the queue."""
        service, store = self.service, self.service.store
        now = self.clock()
        returned: list[str] = []
        if self.timeout <= 0:
            return returned
        for record in await store.with_mediators():
            if self.idle_for(await last_activity(store.redis, record), now) < self.timeout:
                continue
            try:
                await store.requeue(record.sender_id, record.mediator)
            except TransitionError:
                continue  # claimed, transferred or closed meanwhile
            log.info("hand-off returned to the queue after %d s without a message", self.timeout)
            await service.say(record.sender_id, self._message(now), {"handoff": "requeue"})
            await hold_acknowledgements(store.redis, record.sender_id, self.ack_interval)
            returned.append(record.sender_id)
        return returned

    async def run(self, interval: float = 60.0) -> None:
        """Sweep every ``interval`` seconds until cancelled."""
        while True:
            try:
                await self.sweep()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("idle sweep: %s", exc)
            await asyncio.sleep(interval)
