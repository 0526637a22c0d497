"""The Rasa-facing stores named in endpoints.yml, against a real Redis."""

from __future__ import annotations

import asyncio
from pathlib import Path
from urllib.parse import urlparse

import redis
import yaml
from rasa.core.lock_store import LockStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ConversationPaused, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.utils.common import class_from_module_path
from rasa.utils.endpoints import EndpointConfig

from bot.handoff.activity import ACTIVITY_STREAM
from stores.lock_store import FifoRedisLockStore
from stores.tracker_store import PimmsTrackerStore

ROOT = Path(__file__).resolve().parents[3]


def test_endpoints_name_importable_classes() -> None:
    # Rasa silently falls back to an in-memory tracker store when the class cannot be imported.
    endpoints = yaml.safe_load((ROOT / "endpoints.yml").read_text(encoding="utf-8"))
    assert class_from_module_path(endpoints["tracker_store"]["type"]) is PimmsTrackerStore
    assert class_from_module_path(endpoints["lock_store"]["type"]) is FifoRedisLockStore


def _store(redis_url: str) -> PimmsTrackerStore:
    url = urlparse(redis_url)
    domain = Domain.from_dict({"slots": {"handoff_state": {"type": "text", "mappings": [{"type": "custom"}]}}})
    return PimmsTrackerStore(domain=domain, host=url.hostname, port=url.port, db=int(url.path.strip("/")))


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
        url=url.hostname, type="stores.lock_store.FifoRedisLockStore", port=url.port, db=url.path.strip("/")
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
