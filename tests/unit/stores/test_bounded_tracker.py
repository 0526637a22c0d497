"""The bounded tracker (issue 27): what Rasa loads stays small, the full history stays whole (real Redis, no model)."""

from __future__ import annotations

import json
from typing import Any

import redis
from rasa.core.brokers.broker import EventBroker
from rasa.shared.core.constants import ACTION_LISTEN_NAME, ACTION_SESSION_START_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    ConversationPaused,
    ConversationResumed,
    Event,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from bot import tracker_history
from stores.tracker_store import PimmsTrackerStore
from tests.tracker_stores import tracker_store_at

SLOTS = ("handoff_state", "home_site", "topic", "requested_slot")
DOMAIN = Domain.from_dict(
    {
        "slots": {
            name: {"type": "text", "influence_conversation": False, "mappings": [{"type": "custom"}]} for name in SLOTS
        }
    }
)


class Collecting(EventBroker):
    """An event broker keeping what it is given."""

    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []

    def publish(self, event: dict[str, Any]) -> None:
        self.events.append(event)


def _store(redis_url: str, **options: Any) -> PimmsTrackerStore:
    return tracker_store_at(redis_url, DOMAIN, key_prefix="pimmstracker", record_exp=600, **options)


def _session_start(at: float) -> list[Event]:
    return [
        ActionExecuted(ACTION_SESSION_START_NAME, timestamp=at),
        SessionStarted(timestamp=at),
        ActionExecuted(ACTION_LISTEN_NAME, timestamp=at),
    ]


def _turn(n: int, at: float) -> list[Event]:
    """One resident message and its answer; some turns change the state (site, form, pause, a reverted turn)."""
    events: list[Event] = [UserUttered(f"message {n}", timestamp=at), SlotSet("topic", f"sujet {n}", timestamp=at)]
    if n == 2:
        events.append(SlotSet("home_site", "vaulx", timestamp=at))
    if n == 7:
        events += [ActiveLoop("booking_form", timestamp=at), SlotSet("requested_slot", "day", timestamp=at)]
    if n == 9:  # a misunderstood message: Rasa forgets the turn, its slot included
        events += [ActionExecuted("action_fallback", timestamp=at), UserUtteranceReverted(timestamp=at)]
        return events
    if n == 11:
        events += [ActiveLoop(None, timestamp=at), SlotSet("requested_slot", None, timestamp=at)]
    if n == 13:
        events.append(ConversationPaused(timestamp=at))
    if n == 17:
        events.append(ConversationResumed(timestamp=at))
    return [
        *events,
        ActionExecuted("utter_answer", timestamp=at),
        BotUttered(f"réponse {n}", timestamp=at),
        ActionExecuted(ACTION_LISTEN_NAME, timestamp=at),
    ]


def _state(tracker: DialogueStateTracker) -> tuple[Any, ...]:
    return tracker.current_slot_values(), tracker.active_loop_name, tracker.is_paused()


async def _converse(
    store: PimmsTrackerStore, sender: str, turns: range, reference: list[dict[str, Any]], at: float = 1000.0
) -> None:
    """Turns as Rasa runs them (load, update, save); ``reference`` gets every event, as an unbounded store keeps."""
    for n in turns:
        tracker = await store.get_or_create_tracker(sender, append_action_listen=False)
        loaded = len(tracker.events)
        for event in (_session_start(at + n) if not loaded else []) + _turn(n, at + n + 0.5):
            tracker.update(event)
        reference += [event.as_dict() for event in list(tracker.events)[loaded:]]
        await store.save(tracker)
        unbounded = DialogueStateTracker.from_dict(sender, reference, DOMAIN.slots)
        assert _state(await store.retrieve(sender)) == _state(unbounded), f"state differs after message {n}"


async def test_a_long_conversation_keeps_its_last_turns_and_loses_nothing(redis_url: str) -> None:
    store = _store(redis_url, keep_turns=3, max_turns=5)
    broker = Collecting()
    store.event_broker = broker
    reference: list[dict[str, Any]] = []
    await _converse(store, "tg-1", range(40), reference)
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    kept = json.loads(client.get("pimmstracker:tracker:tg-1"))["events"]
    # What Rasa loads: a carried state, then at most max_turns resident messages.
    assert tracker_history.carried_length(kept) > 0
    assert 3 <= sum(e["event"] == "user" for e in kept) <= 5
    loaded = await store.retrieve("tg-1")
    assert [e.text for e in loaded.events if isinstance(e, UserUttered)][-1] == "message 39"
    assert loaded.get_slot("home_site") == "vaulx"  # set at the 3rd message, carried since
    # Rasa's full tracker (the console's transcript): every event once, in order, as if nothing were bounded.
    full = await store.retrieve_full_tracker("tg-1")
    assert [e.as_dict() for e in full.events] == reference
    assert [e["event"] for e in broker.events] == [e["event"] for e in reference]
    # The archive expires with the conversation.
    assert 0 < client.ttl("pimmstracker:archive:tg-1") <= 600
    assert client.ttl("pimmstracker:archive:tg-1") >= client.ttl("pimmstracker:tracker:tg-1") - 1
    client.close()


async def test_the_tracker_key_stops_growing(redis_url: str) -> None:
    store = _store(redis_url)  # the defaults: a cut past 10 resident messages keeps the last 5
    client = redis.Redis.from_url(redis_url)
    sizes = []
    reference: list[dict[str, Any]] = []
    for n in range(120):
        await _converse(store, "sms-33600000001", range(n, n + 1), reference)
        sizes.append(client.strlen("pimmstracker:tracker:sms-33600000001"))
    # Between the 10th message's size and a little more (the carried state), whatever the length.
    assert max(sizes[10:]) <= 1.2 * sizes[9] and max(sizes[60:]) <= max(sizes[10:60]), sizes
    assert client.llen("pimmstracker:archive:sms-33600000001") > 0
    client.close()


async def test_a_new_session_sends_the_previous_one_to_the_archive(redis_url: str) -> None:
    store = _store(redis_url)
    reference: list[dict[str, Any]] = []
    await _converse(store, "tg-2", range(3), reference)
    tracker = await store.retrieve("tg-2")
    new_session = [*_session_start(9000), *_turn(3, 9001)]
    for event in new_session:
        tracker.update(event)
    reference += [e.as_dict() for e in new_session]
    await store.save(tracker)
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    kept = json.loads(client.get("pimmstracker:tracker:tg-2"))["events"]
    assert [e["text"] for e in kept if e["event"] == "user"] == ["message 3"]
    assert kept[0]["name"] == ACTION_SESSION_START_NAME and tracker_history.carried_length(kept) == 0
    full = await store.retrieve_full_tracker("tg-2")
    assert [e.as_dict() for e in full.events] == reference
    client.close()


async def test_a_key_written_before_the_bound_is_split_at_its_next_save(redis_url: str) -> None:
    store = _store(redis_url)
    events = [*_session_start(1000), *_turn(0, 1001), *_session_start(5000), *_turn(1, 5001)]
    reference = [e.as_dict() for e in events]
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    client.set("pimmstracker:tracker:tg-3", json.dumps({"events": reference, "name": "tg-3"}))
    tracker = await store.retrieve("tg-3")
    assert [e.text for e in tracker.events if isinstance(e, UserUttered)] == ["message 1"]
    for event in _turn(2, 5002):
        tracker.update(event)
        reference.append(event.as_dict())
    await store.save(tracker)
    assert len(json.loads(client.lindex("pimmstracker:archive:tg-3", 0))) == len(_session_start(0)) + len(_turn(0, 0))
    full = await store.retrieve_full_tracker("tg-3")
    assert [e.as_dict() for e in full.events] == reference
    client.close()


async def test_a_fresh_tracker_after_a_failed_read_is_merged_with_a_bounded_one(redis_url: str) -> None:
    store = _store(redis_url, keep_turns=2, max_turns=3)
    reference: list[dict[str, Any]] = []
    await _converse(store, "tg-4", range(8), reference)
    fresh = DialogueStateTracker.from_events("tg-4", [UserUttered("vous êtes là ?", timestamp=2000)])
    await store.save(fresh)
    full = await store.retrieve_full_tracker("tg-4")
    texts = [e.text for e in full.events if isinstance(e, UserUttered)]
    assert texts == [*(f"message {n}" for n in range(8)), "vous êtes là ?"]
    assert (await store.retrieve("tg-4")).get_slot("home_site") == "vaulx"


def test_a_cut_is_at_a_resident_message_and_keeps_the_last_ones() -> None:
    events = [{"event": "action", "name": ACTION_SESSION_START_NAME}]
    for n in range(6):
        events += [{"event": "user", "text": f"m{n}"}, {"event": "bot", "text": f"r{n}"}]
    assert tracker_history.turn_cut(events, keep_turns=2, max_turns=6) == 0
    cut = tracker_history.turn_cut(events, keep_turns=2, max_turns=5)
    assert events[cut] == {"event": "user", "text": "m4"}
    bounded = tracker_history.bound(events, keep_turns=2, max_turns=5)
    assert bounded.archived == events[:cut] and bounded.cut == cut


def test_the_archive_key_sits_beside_the_tracker_key() -> None:
    assert tracker_history.archive_prefix("pimmstracker:tracker:") == "pimmstracker:archive:"
    assert tracker_history.archive_prefix("tracker:") == "archive:"
