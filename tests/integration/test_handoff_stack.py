"""Hand-off on the running stack: pause, silence, session expiry, "annuler", fallback twice, hand back."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
import redis

from bot.handoff import messages
from tests.integration.stack_client import handoff
from tests.waiting import wait_until

pytestmark = pytest.mark.stack
TRACKER_KEY = "pimmstracker:tracker:"


def backdate(stack: Any, sender_id: str, seconds: float) -> None:
    """Move every event of the stored tracker into the past (as if the resident wrote long ago)."""
    client = redis.Redis.from_url(stack.redis_url)
    stored = json.loads(client.get(TRACKER_KEY + sender_id))
    for event in stored["events"]:
        event["timestamp"] = float(event.get("timestamp") or time.time()) - seconds
    client.set(TRACKER_KEY + sender_id, json.dumps(stored), keepttl=True)


def test_request_pauses_then_the_assistant_stays_silent(stack: Any) -> None:
    sid = "stack-handoff-1"
    texts = stack.texts(sid, "je veux parler a un humain svp")
    assert any("médiateur" in t for t in texts) and any("ANNULER" in t for t in texts)
    assert handoff(stack, sid)["state"] == "waiting"
    assert stack.tracker(sid)["paused"] is True
    assert stack.texts(sid, "bonjour") == []
    assert any(e.get("text") == "bonjour" for e in stack.tracker(sid)["events"] if e["event"] == "user")


def test_session_expiry_does_not_unpause_a_held_conversation(stack: Any) -> None:
    sid = "stack-handoff-expiry"
    stack.texts(sid, "un conseiller svp")
    assert stack.tracker(sid)["paused"] is True
    backdate(stack, sid, 3 * 3600)
    assert stack.texts(sid, "bonjour, toujours là ?") == []
    tracker = stack.tracker(sid)
    kinds = [e["event"] for e in tracker["events"]]
    assert "session_started" in kinds and tracker["paused"] is True
    last_session = len(kinds) - 1 - kinds[::-1].index("session_started")
    assert kinds[last_session:].count("pause") == 1
    assert handoff(stack, sid)["state"] == "waiting"


def test_annuler_while_waiting_returns_to_the_assistant(stack: Any) -> None:
    if not stack.env.get("CONSOLE_PORT"):
        pytest.skip("the console (which watches waiting conversations) is not part of the stack")
    sid = "stack-handoff-cancel"
    stack.texts(sid, "mediateur")
    assert stack.texts(sid, "annuler") == []  # Rasa is paused: the console's watcher reacts
    wait_until(lambda: (handoff(stack, sid) or {}).get("state") == "bot")
    wait_until(lambda: stack.tracker(sid)["paused"] is False)
    assert [m["text"] for m in stack.callback.wait_for(sid, 1)][-1] == messages.CANCELLED
    assert stack.texts(sid, "bonjour") != []


def test_two_misunderstood_messages_hand_off(stack: Any) -> None:
    sid = "stack-handoff-fallback"
    # Two messages the assistant cannot help with (out of scope or not understood) in a row.
    first = stack.texts(sid, "qui a gagne le match de l ol hier soir")
    assert first and not stack.tracker(sid)["paused"]
    second = stack.texts(sid, "donne moi la meteo de demain a lyon")
    assert any("toujours pas à vous aider" in t for t in second)
    assert stack.tracker(sid)["paused"] is True
    assert handoff(stack, sid)["reason"] == "fallback"


def test_urgent_hand_off_goes_first(stack: Any) -> None:
    stack.texts("stack-handoff-normal", "je veux parler a qqn")
    texts = stack.texts("stack-handoff-danger", "je veux mourir")
    assert any("3114" in t for t in texts)
    record = handoff(stack, "stack-handoff-danger")
    assert record["urgent"] and record["state"] == "waiting"
    queue = redis.Redis.from_url(stack.redis_url).zrange("pimms:handoff:queue", 0, -1)
    # Other tests may have queued urgent conversations earlier; those stay ahead (first come, first served).
    assert queue.index(b"stack-handoff-danger") < queue.index(b"stack-handoff-normal")
