"""Opaque references (review M5): resolved through an index written at hand-off, only for a logged-in
mediator, never by scanning the keyspace; the index lives as long as the record and goes with erasure."""

from __future__ import annotations

import secrets

import httpx
import redis.asyncio as aioredis

from bot.console.auth import MediatorAccounts
from bot.handoff.refs import backfill, index_key, lookup, of_key, remember
from bot.handoff.store import HandoffStore, conv_key
from tests.unit.console.conftest import Console
from tests.unit.console.test_console_http import csrf_of
from tests.unit.console.test_supervisor import make_supervisor

SID = "sms-33655443322"


def _scans(console: Console) -> int:
    async def go(store: HandoffStore, _: MediatorAccounts) -> int:
        stats = await store.redis.info("commandstats")
        return int(stats.get("cmdstat_scan", {}).get("calls", 0))

    return int(console.run(go))


def test_no_request_makes_the_console_scan_the_keyspace(console: Console) -> None:
    console.seed(SID)
    mediator = console.login()
    before = _scans(console)
    with httpx.Client(base_url=console.url, timeout=10) as stranger:
        for _ in range(5):
            unknown = "r" + secrets.token_hex(12)
            assert stranger.get(f"/c/{unknown}").headers["location"] == "/login"  # no lookup before login
            assert stranger.get(f"/api/c/{unknown}").status_code == 401
            assert mediator.get(f"/c/{unknown}").status_code == 404
    assert mediator.get(f"/c/{console.ref(SID)}").status_code == 200
    assert _scans(console) == before


def test_the_index_lives_as_long_as_the_record(console: Console) -> None:
    console.seed(SID)
    ref = console.ref(SID)

    async def ttls(store: HandoffStore, _: MediatorAccounts) -> list[int]:
        return [int(await store.redis.ttl(k)) for k in (conv_key(SID), index_key(ref), of_key(SID))]

    record, index, pointer = console.run(ttls)
    assert record > 0 and abs(index - record) <= 1 and abs(pointer - record) <= 1


def test_erasure_removes_the_index(console: Console) -> None:
    console.seed(SID)
    ref = console.ref(SID)
    make_supervisor(console)
    chef = console.login("chef")
    assert chef.get(f"/c/{ref}").status_code == 200
    erased = chef.post(f"/c/{ref}/erase", data={"csrf": csrf_of(chef), "confirm": "EFFACER"})
    assert erased.status_code == 303

    async def left(store: HandoffStore, _: MediatorAccounts) -> int:
        return int(await store.redis.exists(index_key(ref), of_key(SID)))

    assert console.run(left) == 0
    assert chef.get(f"/c/{ref}").status_code == 404


async def test_records_older_than_the_index_are_indexed_at_start_up(client: aioredis.Redis) -> None:
    await client.set(conv_key("web-old"), "{}", ex=500)
    await client.set(conv_key("web-indexed"), "{}", ex=500)
    ref = await remember(client, "web-indexed", 500)
    assert await backfill(client, conv_key("")) == 1
    old_ref = (await client.get(of_key("web-old"))).decode()
    assert await lookup(client, old_ref) == "web-old"
    assert 0 < await client.ttl(index_key(old_ref)) <= 500
    assert await lookup(client, ref) == "web-indexed"
    assert await lookup(client, "not-a-ref") is None
