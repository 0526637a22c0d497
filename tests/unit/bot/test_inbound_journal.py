"""The inbound journal and pump on a real Redis: nothing accepted is lost by a stop, a crash or a failure."""

from __future__ import annotations

import asyncio
from typing import Any

import redis.asyncio as aioredis

from bot.inbound.journal import InboundJournal
from bot.inbound.pump import InboundPump

SENDER = "sms-33612345678"


class Turns:
    """Records processed turns; can be slow or fail a number of times."""

    def __init__(self, delay: float = 0.0, failures: int = 0) -> None:
        self.done: list[tuple[str, list[str]]] = []
        self.delay = delay
        self.failures = failures

    async def __call__(self, sender_id: str, entries: list[dict[str, Any]]) -> None:
        if self.failures:
            self.failures -= 1
            raise ConnectionError("redis down")
        await asyncio.sleep(self.delay)
        self.done.append((sender_id, [e["text"] for e in entries]))


def pump(client: aioredis.Redis, owner: str, turns: Turns) -> InboundPump:
    return InboundPump(InboundJournal(client, "sms", owner), turns, backoff=lambda _: 0.01)


async def test_messages_of_a_burst_make_one_turn_once_due(redis_url: str) -> None:
    client = aioredis.Redis.from_url(redis_url)
    turns = Turns()
    a = pump(client, "a", turns)
    await a.journal.add(SENDER, {"text": "bonjour"}, due=100.0)
    await a.journal.add(SENDER, {"text": "caf"}, due=101.0)
    await a.tick(now=100.5)
    assert turns.done == []
    await a.tick(now=101.0)
    await asyncio.sleep(0.05)
    assert turns.done == [(SENDER, ["bonjour", "caf"])]
    assert await a.journal.pending(SENDER) == 0
    assert 0 < await client.ttl("pimms:inbound:sms:due") or not await client.exists("pimms:inbound:sms:due")
    await client.close()


async def test_a_turn_of_a_crashed_process_is_recovered_by_another(redis_url: str) -> None:
    client = aioredis.Redis.from_url(redis_url)
    crashed = pump(client, "crashed", Turns(delay=60))
    await crashed.journal.add(SENDER, {"text": "mon rdv"}, due=0.0)
    await crashed.tick(now=1.0)  # claimed, then the process dies: no finish, heartbeat gone
    await asyncio.sleep(0.05)
    for task in list(crashed._turns.values()):
        task.cancel()
    await crashed.journal.retire()
    assert await crashed.journal.pending(SENDER) == 1
    turns = Turns()
    fresh = pump(client, "fresh", turns)
    await fresh.tick(now=2.0)  # heartbeat + recovery
    await fresh.tick(now=2.0)  # the recovered message is due
    await asyncio.sleep(0.05)
    assert turns.done == [(SENDER, ["mon rdv"])]
    await client.close()


async def test_a_recovered_turn_is_run_alone_and_the_messages_sent_meanwhile_after_it(redis_url: str) -> None:
    # A node dies after answering "horaires" and before finishing the turn; the resident writes again. The recovered
    # turn is the same turn (its answers may be out already), never merged with the later messages.
    client = aioredis.Redis.from_url(redis_url)
    crashed = pump(client, "crashed", Turns(delay=60))
    await crashed.journal.add(SENDER, {"text": "horaires"}, due=0.0)
    await crashed.journal.add(SENDER, {"text": "adresse"}, due=0.0)
    await crashed.tick(now=1.0)
    await asyncio.sleep(0.05)
    for task in list(crashed._turns.values()):
        task.cancel()
    await crashed.journal.retire()
    await crashed.journal.add(SENDER, {"text": "merci"}, due=1.5)
    await crashed.journal.add(SENDER, {"text": "au revoir"}, due=1.5)
    assert await crashed.journal.pending(SENDER) == 4
    turns = Turns()
    fresh = pump(client, "fresh", turns)
    for _ in range(3):
        await fresh.tick(now=2.0)
        await asyncio.sleep(0.05)
    assert turns.done == [(SENDER, ["horaires", "adresse"]), (SENDER, ["merci", "au revoir"])]
    assert await fresh.journal.pending(SENDER) == 0
    await client.close()


async def test_a_live_process_keeps_its_turn(redis_url: str) -> None:
    client = aioredis.Redis.from_url(redis_url)
    busy = pump(client, "busy", Turns(delay=0.5))
    await busy.journal.add(SENDER, {"text": "x"}, due=0.0)
    await busy.tick(now=1.0)
    other_turns = Turns()
    other = pump(client, "other", other_turns)
    await other.tick(now=1.5)
    await other.tick(now=1.5)
    assert other_turns.done == []
    await busy.stop(timeout=2)
    assert await busy.journal.pending(SENDER) == 0
    await client.close()


async def test_stop_processes_the_burst_window_and_hands_back_what_is_too_slow(redis_url: str) -> None:
    client = aioredis.Redis.from_url(redis_url)
    turns = Turns()
    a = pump(client, "a", turns)
    await a.journal.add(SENDER, {"text": "attente"}, due=1e12)  # still in its burst window
    await a.stop(timeout=2)
    assert turns.done == [(SENDER, ["attente"])]
    slow = pump(client, "slow", Turns(delay=30))
    await slow.journal.add("tg-1", {"text": "long"}, due=0.0)
    await slow.stop(timeout=0.2)
    assert await slow.journal.pending("tg-1") == 1  # back in the queue for the next start
    turns = Turns()
    b = pump(client, "b", turns)
    await b.tick(now=1e12)
    await asyncio.sleep(0.05)
    assert turns.done == [("tg-1", ["long"])]
    await client.close()


async def test_a_failed_turn_is_tried_again(redis_url: str) -> None:
    client = aioredis.Redis.from_url(redis_url)
    turns = Turns(failures=2)
    a = pump(client, "a", turns)
    await a.journal.add(SENDER, {"text": "encore"}, due=0.0)
    await a.tick(now=1.0)
    await asyncio.sleep(0.2)
    assert turns.done == [(SENDER, ["encore"])] and await a.journal.pending(SENDER) == 0
    await client.close()


async def test_a_turn_failing_through_an_outage_is_kept_for_later(redis_url: str) -> None:
    client = aioredis.Redis.from_url(redis_url)
    turns = Turns(failures=100)
    a = pump(client, "a", turns)
    await a.journal.add(SENDER, {"text": "pendant la panne"}, due=0.0)
    await a.tick(now=1.0)
    await asyncio.sleep(0.5)
    assert turns.done == [] and await a.journal.pending(SENDER) == 1  # not dropped
    turns.failures = 0
    await a.tick(now=1e12)
    await asyncio.sleep(0.1)
    assert turns.done == [(SENDER, ["pendant la panne"])]
    await client.close()


async def test_a_message_that_always_fails_by_itself_is_dropped(redis_url: str) -> None:
    client = aioredis.Redis.from_url(redis_url)

    async def broken(sender_id: str, entries: list[dict[str, Any]]) -> None:
        raise ValueError("bad message")

    a = InboundPump(InboundJournal(client, "sms", "a"), broken, backoff=lambda _: 0.0)
    await a.journal.add(SENDER, {"text": "x"}, due=0.0)
    await a.tick(now=1.0)
    await asyncio.sleep(0.2)
    assert await a.journal.pending(SENDER) == 0
    await client.close()


async def test_a_claim_says_whether_the_turn_was_started_before(redis_url: str) -> None:
    # The channel then checks the stored tracker and the answers already sent (channels/runtime.py).
    client = aioredis.Redis.from_url(redis_url)
    journal = InboundJournal(client, "sms", "a")
    await journal.add(SENDER, {"text": "bonjour"}, due=0.0)
    first = await journal.claim(SENDER, 1.0)
    assert first == [{"text": "bonjour"}] and not first.requeued
    assert await journal.requeue(SENDER, "a", 2.0) == 1
    again = await journal.claim(SENDER, 3.0)
    assert again == [{"text": "bonjour"}] and again.requeued
    await journal.finish(SENDER)
    assert await journal.pending(SENDER) == 0
    await client.close()
