"""Inactivity timeout, with an injected clock (never sleeping): a conversation a mediator holds without any
message for the timeout goes back to the queue at its first place, and the resident is told."""

from __future__ import annotations

from typing import Any

import redis.asyncio as aioredis

from bot.handoff import messages
from bot.handoff.idle import IdleSweeper
from bot.handoff.last_seen import touch
from bot.handoff.models import State
from bot.handoff.rasa_api import RasaApi
from bot.handoff.service import HandoffService
from bot.handoff.store import HandoffStore
from bot.outbound import OutboundRouter
from bot.outbound.callback_sender import HttpCallbackSender
from tests.unit.console.conftest import Console
from tests.unit.console.test_console_http import post

SID = "web-idle-1"
HOUR = 3600.0


def sweep(console: Console, now: float, timeout: int = 3 * 3600) -> list[str]:
    async def go(store: HandoffStore, _: Any) -> list[str]:
        clocked = HandoffStore(store.redis, clock=lambda: now)
        router = OutboundRouter(callback=HttpCallbackSender(console.resident.url))
        api = RasaApi(console.rasa.url, console.rasa.token)
        try:
            return await IdleSweeper(HandoffService(clocked, api, router), timeout, clock=lambda: now).sweep()
        finally:
            await api.close()

    return console.run(go)


def resident_writes(console: Console, at: float) -> None:
    async def go(store: HandoffStore, _: Any) -> None:
        await touch(store.redis, SID, at)

    console.rasa.user(SID, "vous êtes toujours là ?")
    console.run(go)


def test_a_silent_held_conversation_goes_back_to_the_queue(console: Console) -> None:
    first = console.seed(SID)
    console.seed("web-idle-0")  # someone who asked later
    alice = console.login("alice")
    assert post(alice, f"/c/{SID}/claim").json()["ok"]
    claimed_at = console.state(SID).requested_at  # seconds: claim happened right after the request
    assert sweep(console, claimed_at + 2 * HOUR) == []
    resident_writes(console, claimed_at + 2.5 * HOUR)  # activity resets the timer
    assert sweep(console, claimed_at + 5 * HOUR) == []
    assert console.state(SID).mediator == "alice"

    assert sweep(console, claimed_at + 5.6 * HOUR) == [SID]
    record = console.state(SID)
    assert record.state == State.WAITING and record.mediator == "" and record.requested_at == first.requested_at
    assert record.history[-1].action == "requeue" and record.history[-1].detail == "alice"
    queue = [r["sender_id"] for r in alice.get("/api/queue").json()["queue"]]
    assert queue == [SID, "web-idle-0"]  # kept its first place
    texts = [m["text"] for m in console.resident.wait_for(SID, 2)]
    assert texts == [messages.CLAIMED, messages.BACK_IN_QUEUE]
    assert sweep(console, claimed_at + 20 * HOUR) == []  # waiting, not held: nothing more
    assert post(console.login("bob"), f"/c/{SID}/claim").json()["ok"]  # another mediator can take it


def test_a_mediator_reply_counts_as_activity(console: Console) -> None:
    console.seed(SID)
    alice = console.login("alice")
    post(alice, f"/c/{SID}/claim")

    async def replied_at(store: HandoffStore, _: Any) -> float:
        redis: aioredis.Redis = store.redis
        raw = await redis.get(f"pimms:handoff:activity:{SID}")
        return float(raw)

    assert post(alice, f"/c/{SID}/reply", text="Je regarde.").json()["ok"]
    last = console.run(replied_at)
    assert sweep(console, last + 2.9 * HOUR) == []
    assert sweep(console, last + 3.1 * HOUR) == [SID]


def test_zero_disables_the_timeout(console: Console) -> None:
    console.seed(SID)
    post(console.login("alice"), f"/c/{SID}/claim")
    assert sweep(console, console.state(SID).requested_at + 1000 * HOUR, timeout=0) == []
