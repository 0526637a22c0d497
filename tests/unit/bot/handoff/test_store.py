"""Hand-off state machine and queue against a real Redis."""

from __future__ import annotations

import asyncio
import json

import pytest
import redis.asyncio as aioredis

from bot.handoff.models import Handoff, Reason, State, TransitionError
from bot.handoff.store import EVENTS_CHANNEL, HELD_KEY, QUEUE_KEY, HandoffStore, conv_key


class Clock:
    """A settable clock (epoch seconds)."""

    def __init__(self, start: float = 1_790_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(client: aioredis.Redis, clock: Clock) -> HandoffStore:
    return HandoffStore(client, clock=clock)


async def test_request_queues_and_records_the_transition(store: HandoffStore) -> None:
    record = await store.request("sms-33612345678")
    assert record.state == State.WAITING and record.channel == "sms"
    assert await store.position("sms-33612345678") == 1
    assert [(t.actor, t.action, t.state) for t in record.history] == [("assistant", "request", State.WAITING)]
    assert (await store.get("sms-33612345678")) == record


async def test_queue_orders_urgent_first_then_by_waiting_time(store: HandoffStore, clock: Clock) -> None:
    await store.request("tg-1")
    clock.now += 10
    await store.request("tg-2")
    clock.now += 10
    await store.request("tg-3", reason=Reason.URGENT, urgent=True)
    clock.now += 10
    await store.request("tg-4", reason=Reason.URGENT, urgent=True)
    assert [r.sender_id for r in await store.queue()] == ["tg-3", "tg-4", "tg-1", "tg-2"]
    assert await store.position("tg-2") == 4


async def test_repeated_request_keeps_place_and_urgent_moves_up(store: HandoffStore, clock: Clock) -> None:
    await store.request("tg-1")
    clock.now += 5
    await store.request("tg-2")
    clock.now += 5
    again = await store.request("tg-1")
    assert again.requested_at == 1_790_000_000.0 and len(again.history) == 1
    await store.request("tg-2", urgent=True)
    assert [r.sender_id for r in await store.queue()] == ["tg-2", "tg-1"]
    assert (await store.get("tg-2")).history[-1].action == "escalate"


async def test_claim_is_atomic_only_one_mediator_wins(store: HandoffStore) -> None:
    await store.request("tg-1")
    claims = (store.claim("tg-1", f"med{i}") for i in range(8))
    results = await asyncio.gather(*claims, return_exceptions=True)
    winners = [r for r in results if isinstance(r, Handoff)]
    assert len(winners) == 1
    assert all(isinstance(r, TransitionError) for r in results if not isinstance(r, Handoff))
    record = await store.get("tg-1")
    assert record.state == State.WITH_MEDIATOR and record.mediator == winners[0].mediator
    assert await store.position("tg-1") is None and await store.queue() == []
    with pytest.raises(TransitionError, match="déjà pris en charge"):
        await store.claim("tg-1", "someone-else")


async def test_claim_of_unknown_conversation_is_refused(store: HandoffStore) -> None:
    with pytest.raises(TransitionError):
        await store.claim("tg-404", "alice")


async def test_transfer_hand_back_and_history(store: HandoffStore, client: aioredis.Redis) -> None:
    await store.request("tg-1")
    await store.claim("tg-1", "alice")
    with pytest.raises(TransitionError):
        await store.transfer("tg-1", "bob", "carol")  # only the holder transfers
    await store.transfer("tg-1", "alice", "bob")
    with pytest.raises(TransitionError):
        await store.hand_back("tg-1", "alice")
    record = await store.hand_back("tg-1", "bob")
    assert record.state == State.BOT and record.resume_pending and not record.held
    assert await client.sismember(HELD_KEY, "tg-1")  # until Rasa has resumed
    record = await store.mark_resumed("tg-1")
    assert not record.resume_pending and not await client.sismember(HELD_KEY, "tg-1")
    assert [(t.actor, t.action) for t in record.history] == [
        ("assistant", "request"),
        ("alice", "claim"),
        ("alice", "transfer"),
        ("bob", "hand_back"),
        ("console", "resumed"),
    ]
    assert record.history[2].detail == "bob"
    assert all(t.at.endswith("+00:00") for t in record.history)


async def test_resident_cancels_only_while_waiting(store: HandoffStore) -> None:
    await store.request("tg-1")
    record = await store.cancel("tg-1")
    assert record.state == State.BOT and record.history[-1].actor == "resident"
    assert await store.queue() == []
    with pytest.raises(TransitionError):
        await store.cancel("tg-1")
    await store.request("tg-1")
    await store.claim("tg-1", "alice")
    with pytest.raises(TransitionError):
        await store.cancel("tg-1")


async def test_close_from_waiting_or_by_holder_then_new_request(store: HandoffStore, clock: Clock) -> None:
    await store.request("tg-1")
    assert (await store.close("tg-1", "alice")).state == State.CLOSED
    clock.now += 60
    record = await store.request("tg-1")
    assert record.state == State.WAITING and record.requested_at == clock.now
    await store.claim("tg-1", "alice")
    with pytest.raises(TransitionError):
        await store.close("tg-1", "bob")
    assert (await store.close("tg-1", "alice")).state == State.CLOSED


async def test_held_lists_waiting_and_mediator_conversations(store: HandoffStore) -> None:
    await store.request("tg-1")
    await store.request("tg-2")
    await store.claim("tg-2", "alice")
    held = {r.sender_id: r.state for r in await store.held()}
    assert held == {"tg-1": State.WAITING, "tg-2": State.WITH_MEDIATOR}
    assert [r.sender_id for r in await store.with_mediators()] == ["tg-2"]


async def test_keys_are_namespaced_and_json(store: HandoffStore, client: aioredis.Redis) -> None:
    await store.request("tg-1")
    assert json.loads(await client.get(conv_key("tg-1")))["state"] == "waiting"
    keys = {k.decode() for k in await client.keys("pimms:handoff:*")}
    assert keys == {conv_key("tg-1"), QUEUE_KEY, HELD_KEY}
    # besides them, only the console's reference index (bot/handoff/refs.py), expiring with the record
    others = {k.decode() for k in await client.keys("*")} - keys
    assert {k.rsplit(":", 1)[0] for k in others} == {"pimms:console", "pimms:console:ref", "pimms:console:ref-of"}
    assert [k for k in others - {"pimms:console:ref-key"} if await client.ttl(k) <= 0] == []


async def test_transitions_and_notes_are_published(store: HandoffStore, client: aioredis.Redis) -> None:
    pubsub = client.pubsub()
    await pubsub.subscribe(EVENTS_CHANNEL)
    await pubsub.get_message(timeout=1)
    await store.request("tg-1")
    await store.add_note("tg-1", "alice", "Rappeler lundi")
    kinds = []
    for _ in range(2):
        message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=2)
        kinds.append(json.loads(message["data"])["type"])
    assert kinds == ["queue", "note"]
    assert [n["text"] for n in await store.notes("tg-1")] == ["Rappeler lundi"]
    await pubsub.reset()
