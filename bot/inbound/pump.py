"""Turns the journal's due messages into conversation turns; drains on stop, recovers after a crash."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from bot.inbound.journal import ALL, InboundJournal

log = logging.getLogger(__name__)
Process = Callable[[str, list[dict[str, Any]]], Awaitable[None]]
TURN_ATTEMPTS = 8
REQUEUE_DELAY = 60.0


def is_outage(exc: BaseException) -> bool:
    """A failure of the infrastructure (Redis, network, Rasa's lock store), not of the message itself."""
    from redis.exceptions import RedisError

    return isinstance(exc, (RedisError, OSError, TimeoutError)) or type(exc).__name__ == "LockError"


def turn_backoff(attempt: int) -> float:
    """Wait before trying a failed turn again (Redis or the action server may be back by then)."""
    return float(min(2**attempt, 30))


class InboundPump:
    """Polls one channel's journal; one turn at a time per sender; bounded drain on stop."""

    def __init__(
        self,
        journal: InboundJournal,
        process: Process,
        *,
        poll: float = 0.25,
        heartbeat_every: float = 5.0,
        clock: Callable[[], float] = time.time,
        backoff: Callable[[int], float] = turn_backoff,
    ) -> None:
        self.journal = journal
        self._process = process
        self._poll = poll
        self._heartbeat_every = heartbeat_every
        self._clock = clock
        self._backoff = backoff
        self._loop_task: asyncio.Task[None] | None = None
        self._turns: dict[str, asyncio.Task[None]] = {}
        self._unfinished: set[str] = set()
        self._requeue_later: set[str] = set()
        self._last_beat = float("-inf")
        self.stopping = False

    @property
    def running(self) -> bool:
        """Whether the polling loop runs."""
        return self._loop_task is not None and not self._loop_task.done()

    def start(self) -> None:
        """Start polling in the running loop (recovery of stopped processes' turns comes first)."""
        if not self.running and not self.stopping:
            self._loop_task = asyncio.get_running_loop().create_task(self._run())

    async def _run(self) -> None:
        while not self.stopping:
            try:
                await self.tick()
            except Exception as exc:  # Redis down: keep polling, the messages wait in Redis
                log.warning("inbound %s: journal unavailable (%s)", self.journal.channel, type(exc).__name__)
                await asyncio.sleep(1.0)
            await asyncio.sleep(self._poll)

    async def tick(self, now: float | None = None) -> None:
        """One pass: heartbeat and recovery now and then, then start every due turn."""
        now = self._clock() if now is None else now
        if now - self._last_beat >= self._heartbeat_every:
            await self.journal.heartbeat()
            recovered = await self.journal.recover(now)
            if recovered:
                log.warning("inbound %s: %d message(s) of a stopped process recovered", self.journal.channel, recovered)
            self._last_beat = now
        for sender_id in list(self._unfinished):
            await self.journal.finish(sender_id)
            self._unfinished.discard(sender_id)
        for sender_id in list(self._requeue_later):
            await self.journal.requeue(sender_id, self.journal.owner, now + REQUEUE_DELAY)
            self._requeue_later.discard(sender_id)
        for sender_id in await self.journal.due_senders(now):
            if sender_id in self._turns:
                continue
            entries = await self.journal.claim(sender_id, now)
            if entries:
                self._spawn(sender_id, entries)

    def _spawn(self, sender_id: str, entries: list[dict[str, Any]]) -> None:
        task = asyncio.get_running_loop().create_task(self._turn(sender_id, entries))
        self._turns[sender_id] = task
        task.add_done_callback(lambda _: self._turns.pop(sender_id, None))

    async def _turn(self, sender_id: str, entries: list[dict[str, Any]]) -> None:
        for attempt in range(TURN_ATTEMPTS):
            try:
                await self._process(sender_id, entries)
                break
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                if attempt + 1 == TURN_ATTEMPTS:
                    if is_outage(exc):  # kept: tried again later, once Redis / Rasa answer
                        log.error("inbound %s: turn postponed (%s)", self.journal.channel, type(exc).__name__)
                        await self._postpone(sender_id)
                        return
                    log.error("inbound %s: turn dropped after %d attempts (%s)", self.journal.channel, attempt + 1, exc)
                    break
                log.warning("inbound %s: turn failed (%s), new attempt", self.journal.channel, type(exc).__name__)
                await asyncio.sleep(self._backoff(attempt))
        try:
            await self.journal.finish(sender_id)
        except Exception:
            self._unfinished.add(sender_id)  # retried by the next tick

    async def _postpone(self, sender_id: str) -> None:
        try:
            await self.journal.requeue(sender_id, self.journal.owner, self._clock() + REQUEUE_DELAY)
        except Exception:
            self._requeue_later.add(sender_id)  # its messages stay in Redis; requeued by a later tick

    async def stop(self, timeout: float = 10.0) -> None:
        """Stop polling, process what waits in the burst window now, wait for turns (bounded), hand back the rest."""
        self.stopping = True
        if self._loop_task is not None:
            self._loop_task.cancel()
            await asyncio.gather(self._loop_task, return_exceptions=True)
        try:
            for sender_id in await self.journal.due_senders(ALL):
                if sender_id not in self._turns:
                    entries = await self.journal.claim(sender_id, ALL)
                    if entries:
                        self._spawn(sender_id, entries)
        except Exception as exc:
            log.warning("inbound %s: waiting messages left for the next start (%s)", self.journal.channel, exc)
        turns = dict(self._turns)
        if turns:
            done, pending = await asyncio.wait(set(turns.values()), timeout=timeout)
            for sender_id, task in turns.items():
                if task in pending:
                    task.cancel()
                    await asyncio.gather(task, return_exceptions=True)
                    try:
                        await self.journal.requeue(sender_id, self.journal.owner, self._clock())
                    except Exception:
                        log.warning("inbound %s: a turn in progress is left for recovery", self.journal.channel)
        try:
            await self.journal.retire()
        except Exception:
            log.warning("inbound %s: heartbeat not removed (recovered when it expires)", self.journal.channel)
