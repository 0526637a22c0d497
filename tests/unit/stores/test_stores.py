"""The Rasa-facing stores named in endpoints.yml, against a real Redis."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
import redis
import yaml
from rasa.core.brokers.broker import EventBroker
from rasa.core.lock_store import LockStore
from rasa.core.tracker_store import FailSafeTrackerStore, InMemoryTrackerStore
from rasa.shared.core.constants import ACTION_SESSION_START_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ConversationPaused, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.utils.common import class_from_module_path
from rasa.utils.endpoints import EndpointConfig

from bot.handoff.activity import ACTIVITY_STREAM
from bot.ops import endpoints_config
from bot.settings import Settings
from stores.lock_store import FifoRedisLockStore
from stores.tracker_store import PimmsTrackerStore, has_earlier_sessions, stored_events

ROOT = Path(__file__).resolve().parents[3]


def test_endpoints_name_importable_classes() -> None:
    # Rasa silently falls back to an in-memory tracker store when the class cannot be imported.
    endpoints = yaml.safe_load((ROOT / "endpoints.yml").read_text(encoding="utf-8"))
    assert class_from_module_path(endpoints["tracker_store"]["type"]) is PimmsTrackerStore
    assert class_from_module_path(endpoints["lock_store"]["type"]) is FifoRedisLockStore
    generated = endpoints_config.endpoints(Settings(redis_url="rediss://user:pw@redis.example:6380/2"))
    assert class_from_module_path(generated["tracker_store"]["type"]) is PimmsTrackerStore
    lock_config = EndpointConfig.from_dict(generated["lock_store"])
    assert class_from_module_path(lock_config.type) is FifoRedisLockStore
    client = FifoRedisLockStore(lock_config).fifo.redis
    connection = client.connection_pool.connection_kwargs
    assert (connection["host"], connection["port"], connection["db"]) == ("redis.example", 6380, 2)
    assert (connection["username"], connection["password"]) == ("user", "pw")


def _store(redis_url: str) -> PimmsTrackerStore:
    url = urlparse(redis_url)
    domain = Domain.from_dict({"slots": {"handoff_state": {"type": "text", "mappings": [{"type": "custom"}]}}})
    return PimmsTrackerStore(
        domain=domain, host=url.hostname, port=url.port, db=int(url.path.strip("/")), password=url.password
    )


async def test_saving_a_held_conversation_announces_it_and_others_do_not(redis_url: str) -> None:
    store = _store(redis_url)
    quiet = DialogueStateTracker.from_events("tg-1", [ActionExecuted("action_listen"), UserUttered("bonjour")])
    await store.save(quiet)
    client = redis.Redis.from_url(redis_url)
    assert client.xlen(ACTIVITY_STREAM) == 0
    held = DialogueStateTracker.from_events("tg-2", [UserUttered("un humain"), ConversationPaused()])
    await store.save(held)
    entries = client.xrange(ACTIVITY_STREAM)
    assert [fields for _id, fields in entries] == [{b"sender_id": b"tg-2"}]
    assert 0 < client.ttl(ACTIVITY_STREAM) <= 24 * 3600
    assert (await store.retrieve("tg-2")).is_paused()
    client.close()


async def test_lock_store_excludes_across_instances(redis_url: str) -> None:
    url = urlparse(redis_url)
    config = EndpointConfig(
        url=url.hostname,
        type="stores.lock_store.FifoRedisLockStore",
        port=url.port,
        db=url.path.strip("/"),
        password=url.password,
    )
    first, second = LockStore.create(config), LockStore.create(config)
    assert isinstance(first, FifoRedisLockStore)
    inside: list[str] = []

    async def turn(store: LockStore, name: str) -> None:
        async with store.lock("tg-3"):
            inside.append(name)
            assert len(inside) == 1
            await asyncio.sleep(0.02)
            inside.remove(name)

    await asyncio.gather(*(turn(store, f"{i}") for i, store in enumerate([first, second] * 5)))


def _session(at: float, text: str) -> list[Any]:
    return [
        ActionExecuted(ACTION_SESSION_START_NAME, timestamp=at),
        SessionStarted(timestamp=at),
        ActionExecuted("action_listen", timestamp=at),
        UserUttered(text, timestamp=at + 1),
    ]


async def test_a_later_session_is_saved_without_losing_the_earlier_ones(redis_url: str) -> None:
    store = _store(redis_url)
    await store.save(DialogueStateTracker.from_events("tg-4", _session(1000, "premier")))
    assert not has_earlier_sessions(stored_events(store.red.get(store.key_prefix + "tg-4")))
    # Same session, next turn: written as is.
    tracker = await store.retrieve("tg-4")
    tracker.update(UserUttered("deuxieme", timestamp=1002))
    await store.save(tracker)
    # A new session starts; then retrieve() returns only it, and save() must keep the first one.
    tracker = await store.retrieve("tg-4")
    for event in _session(9000, "troisieme"):
        tracker.update(event)
    await store.save(tracker)
    latest = await store.retrieve("tg-4")
    assert [e.text for e in latest.events if isinstance(e, UserUttered)] == ["troisieme"]
    latest.update(UserUttered("quatrieme", timestamp=9002))
    await store.save(latest)
    full = await store.retrieve_full_tracker("tg-4")
    texts = [e.text for e in full.events if isinstance(e, UserUttered)]
    assert texts == ["premier", "deuxieme", "troisieme", "quatrieme"]


class Collecting(EventBroker):
    """An event broker keeping what it is given."""

    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []

    def publish(self, event: dict[str, Any]) -> None:
        self.events.append(event)


async def test_the_event_broker_gets_each_new_event_once(redis_url: str) -> None:
    store = _store(redis_url)
    broker = Collecting()
    store.event_broker = broker
    tracker = DialogueStateTracker.from_events("tg-5", _session(1000, "un"))
    await store.save(tracker)
    tracker = await store.retrieve("tg-5")
    tracker.update(UserUttered("deux", timestamp=1003))
    await store.save(tracker)
    assert [e.get("text") for e in broker.events if e["event"] == "user"] == ["un", "deux"]
    assert len(broker.events) == 5 and {e["sender_id"] for e in broker.events} == {"tg-5"}


def test_a_stalled_redis_cannot_block_the_tracker_store_for_long() -> None:
    # Rasa's store calls a synchronous client inside the event loop: without a timeout, one read of a Redis
    # that accepts connections and never answers blocked the whole Rasa process (security review M3).
    stalled = socket.socket()
    stalled.bind(("127.0.0.1", 0))
    stalled.listen(8)
    store = PimmsTrackerStore(domain=Domain.empty(), host="127.0.0.1", port=stalled.getsockname()[1], db=0)
    outcome: list[BaseException] = []

    def read() -> None:
        try:
            store.red.get("pimmstracker:sms-33600000000")
        except BaseException as exc:  # noqa: BLE001 (the outcome is the test's)
            outcome.append(exc)

    thread = threading.Thread(target=read, daemon=True)
    start = time.monotonic()
    thread.start()
    thread.join(timeout=6)
    stalled.close()
    assert not thread.is_alive(), "the tracker store still waits for a Redis that never answers"
    assert isinstance(outcome[0], redis.exceptions.TimeoutError) and time.monotonic() - start < 4


async def test_a_fresh_tracker_after_a_failed_read_never_overwrites_the_conversation(redis_url: str) -> None:
    # Rasa's FailSafeTrackerStore hands the turn a fresh tracker when a read fails (security review M3c):
    # saving it must not replace the stored conversation (a held one would lose its history and its pause).
    store = _store(redis_url)
    held = [*_session(1000, "un humain svp"), ConversationPaused(timestamp=1002)]
    await store.save(DialogueStateTracker.from_events("tg-7", held))
    fresh = DialogueStateTracker.from_events("tg-7", [UserUttered("vous êtes là ?", timestamp=1005)])
    await store.save(fresh)
    full = await store.retrieve_full_tracker("tg-7")
    texts = [e.text for e in full.events if isinstance(e, UserUttered)]
    assert texts == ["un humain svp", "vous êtes là ?"]


async def test_rasas_fail_safe_wrapper_raises_our_stores_errors_instead_of_falling_back_to_memory() -> None:
    # Rasa wraps the store in FailSafeTrackerStore (rasa/core/agent.py): a failed save kept in memory would send a
    # turn's answers and forget the turn; a failed read would run it on an empty conversation (Redis failover).
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there: every command fails at once
    wrapped = FailSafeTrackerStore(PimmsTrackerStore(domain=Domain.empty(), host="127.0.0.1", port=port, db=0))
    tracker = DialogueStateTracker.from_events("sms-33600000000", [UserUttered("bonjour")])
    with pytest.raises(redis.exceptions.ConnectionError):
        await wrapped.save(tracker)
    with pytest.raises(redis.exceptions.ConnectionError):
        await wrapped.retrieve("sms-33600000000")
    # Other stores keep Rasa's behaviour.
    memory = FailSafeTrackerStore(InMemoryTrackerStore(Domain.empty()))
    assert await memory.retrieve("sms-33600000000") is None
