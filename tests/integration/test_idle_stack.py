"""Inactivity timeout on the running stack: the console's sweeper returns a silent held conversation to the queue.

The stack lives at a pinned moment (tests/integration/stack_clock.py); the outcome is computed from that
moment, so the test holds at night, on a Sunday and across a daylight-saving change.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
import redis.asyncio as aioredis

from bot.handoff import messages
from bot.handoff.store import HandoffStore
from bot.sites import load_sites
from tests.integration.stack_client import handoff
from tests.sites import SITES_FILE
from tests.waiting import wait_until

pytestmark = pytest.mark.stack
MONTH = 30 * 86400  # far more than HANDOFF_IDLE_TIMEOUT (3 h) of opening time, whatever the moment


def held_since(stack: Any, sender_id: str, seconds_ago: float) -> None:
    """A conversation claimed by a mediator ``seconds_ago`` (stack time), with no message since."""

    async def hold() -> None:
        client = aioredis.Redis.from_url(stack.redis_url)
        store = HandoffStore(client, clock=lambda: stack.clock.epoch() - seconds_ago)
        await store.request(sender_id)
        await store.claim(sender_id, "amina")
        await client.close()

    asyncio.run(hold())


def test_a_month_silent_conversation_goes_back_to_the_queue_and_the_resident_is_told(stack: Any) -> None:
    sid = "idle-stack-old"
    held_since(stack, sid, MONTH)
    wait_until(lambda: (handoff(stack, sid) or {}).get("state") == "waiting", timeout=60)
    told = stack.callback.wait_for(sid, 1, timeout=30)
    assert told, "the resident was not told that the conversation went back to the queue"
    now, sites = stack.clock.now(), load_sites(SITES_FILE)
    expected = messages.back_in_queue(sites.default(), now, sites.tz)
    if expected != messages.BACK_IN_QUEUE:  # closed now: the text names the next opening, checked to the day
        expected = expected.split(" à ")[0]
    assert told[0]["text"].startswith(expected)


def test_a_conversation_just_claimed_stays_with_its_mediator(stack: Any) -> None:
    sid = "idle-stack-recent"
    held_since(stack, sid, 0)
    sweep = int(stack.env.get("HANDOFF_IDLE_SWEEP", "60"))
    asyncio.run(asyncio.sleep(3 * sweep))  # three passes of the sweeper
    assert handoff(stack, sid)["state"] == "with_mediator"
    assert stack.callback.for_recipient(sid) == []
