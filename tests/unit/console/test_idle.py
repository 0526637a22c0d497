"""Inactivity timeout, with an injected clock (never sleeping): a conversation a mediator holds without any
message for the timeout goes back to the queue at its first place, and the resident is told."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import redis.asyncio as aioredis

from bot.handoff import messages
from bot.handoff.idle import IdleSweeper, open_seconds
from bot.handoff.last_seen import touch
from bot.handoff.models import State
from bot.handoff.rasa_api import RasaApi
from bot.handoff.service import HandoffService
from bot.handoff.store import HandoffStore
from bot.outbound import CallbackTransport, OutboundRouter
from bot.outbound.callback_sender import HttpCallbackSender
from bot.sites import load_sites
from tests.sites import SITES_FILE
from tests.unit.console.conftest import Console
from tests.unit.console.test_console_http import post

SID = "web-idle-1"
HOUR = 3600.0


def sweep(console: Console, now: float, timeout: int = 3 * 3600) -> list[str]:
    async def go(store: HandoffStore, _: Any) -> list[str]:
        clocked = HandoffStore(store.redis, clock=lambda: now)
        router = OutboundRouter(transports={"callback": CallbackTransport(HttpCallbackSender(console.resident.url))})
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
    assert queue == [console.ref(SID), console.ref("web-idle-0")]  # kept its first place
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


PARIS = ZoneInfo("Europe/Paris")
LYON8 = load_sites(SITES_FILE).default()  # Mon-Fri, Friday until 16:30


def at(*args: int) -> float:
    return datetime(*args, tzinfo=PARIS).timestamp()


def test_open_seconds_count_only_the_counter_s_hours() -> None:
    friday_16h, monday_11h = at(2026, 12, 4, 16, 0), at(2026, 12, 7, 11, 0)
    assert open_seconds(LYON8, friday_16h, monday_11h, PARIS) == 2.5 * HOUR  # 16:00-16:30, then 9:00-11:00
    christmas_eve, dec_28 = at(2026, 12, 24, 11, 0), at(2026, 12, 28, 10, 0)
    assert open_seconds(LYON8, christmas_eve, dec_28, PARIS) == 5.5 * HOUR  # 25 Dec is a public holiday
    dst_saturday, dst_monday = at(2026, 3, 28, 12, 0), at(2026, 3, 30, 10, 0)
    assert open_seconds(LYON8, dst_saturday, dst_monday, PARIS) == 1 * HOUR  # across the change to summer time


def test_a_conversation_left_at_closing_time_is_not_returned_during_the_night(console: Console) -> None:
    friday_16h = at(2026, 12, 4, 16, 0)

    async def hold(store: HandoffStore, _: Any) -> None:
        clocked = HandoffStore(store.redis, clock=lambda: friday_16h)
        await clocked.request(SID)
        await clocked.claim(SID, "alice")

    console.rasa.user(SID, "je veux parler a qqn")
    console.run(hold)

    def sweep_at(now: float) -> list[str]:
        async def go(store: HandoffStore, _: Any) -> list[str]:
            clocked = HandoffStore(store.redis, clock=lambda: now)
            router = OutboundRouter(
                transports={"callback": CallbackTransport(HttpCallbackSender(console.resident.url))}
            )
            api = RasaApi(console.rasa.url, console.rasa.token)
            sweeper = IdleSweeper(
                HandoffService(clocked, api, router), 3 * 3600, clock=lambda: now, site=lambda: LYON8, tz=PARIS
            )
            try:
                return await sweeper.sweep()
            finally:
                await api.close()

        return console.run(go)

    assert sweep_at(at(2026, 12, 5, 10, 0)) == []  # Saturday morning: half an hour of opening time
    assert sweep_at(at(2026, 12, 7, 11, 0)) == []  # Monday 11:00: 2 h 30
    assert sweep_at(at(2026, 12, 7, 14, 0)) == [SID]  # Monday 14:00: 3 h 30 (closed 12:00-13:30)
    assert console.resident.wait_for(SID, 1)[0]["text"] == messages.BACK_IN_QUEUE  # open: said plainly


def test_outside_opening_hours_the_resident_is_told_when_mediators_are_back() -> None:
    saturday = datetime(2026, 12, 5, 10, 0, tzinfo=PARIS)
    text = messages.back_in_queue(LYON8, saturday, PARIS)
    assert text.endswith("un médiateur vous répondra ici lundi 7 décembre à 9h.")
    assert messages.back_in_queue(LYON8, datetime(2026, 12, 7, 10, 0, tzinfo=PARIS), PARIS) == messages.BACK_IN_QUEUE
