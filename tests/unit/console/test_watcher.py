"""The hand-off watcher reacts to held conversations' activity and costs nothing while residents are silent."""

from __future__ import annotations

import json
import time

import redis

from bot.handoff.store import EVENTS_CHANNEL
from tests.unit.console.conftest import Console
from tests.waiting import wait_until


def test_silent_waiting_residents_cost_no_rasa_request(console: Console) -> None:
    senders = [f"sms-3361234560{i}" for i in range(10)]
    for sender_id in senders:
        console.seed(sender_id)
    wait_until(lambda: all(console.state(s) for s in senders))
    time.sleep(0.5)  # the watcher has read the seeds' activity
    before = console.rasa.requests
    time.sleep(2.0)  # the old watcher polled every held tracker every 1.5 s (0.2 s in these tests)
    assert console.rasa.requests == before


def test_a_held_conversation_s_new_message_reaches_the_consoles_at_once(console: Console) -> None:
    sender_id = "sms-33612345699"
    console.seed(sender_id)
    listener = redis.Redis.from_url(console.redis_url).pubsub(ignore_subscribe_messages=True)
    listener.subscribe(EVENTS_CHANNEL)
    try:
        time.sleep(0.3)
        before = console.rasa.requests
        start = time.monotonic()
        console.rasa.user(sender_id, "vous etes la ?")

        def announced() -> bool:
            message = listener.get_message(timeout=0.1)
            return bool(message) and json.loads(message["data"]) == {"type": "message", "sender_id": sender_id}

        wait_until(announced, timeout=5)
        assert time.monotonic() - start < 3.0  # no polling period to wait for (generous for a loaded machine)
        assert console.rasa.requests - before == 1  # one tracker read, for this conversation only
    finally:
        listener.close()
