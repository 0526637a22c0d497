"""Clients built by bot/redis_connect.py follow the primary through a Sentinel failover (no Rasa here)."""

from __future__ import annotations

import time

import pytest
import redis

from bot import redis_connect
from bot.booking.jobs import create_arq_pool
from bot.inbound.journal import InboundJournal
from bot.settings import Settings
from tests.failover.cluster import MASTER, SentinelCluster


def settings_of(cluster: SentinelCluster) -> Settings:
    return Settings.from_env(
        {
            "REDIS_URL": "redis://127.0.0.1:1/0",  # never dialled: the sentinels name the primary
            "REDIS_SENTINELS": cluster.sentinels,
            "REDIS_SENTINEL_MASTER": MASTER,
            "REDIS_WAIT_TIMEOUT_MS": "2000",
        }
    )


@pytest.mark.timeout(60)
async def test_async_sync_and_arq_clients_follow_the_failover(cluster: SentinelCluster) -> None:
    settings = settings_of(cluster)
    client = redis_connect.client(settings)
    blocking = redis_connect.sync_client(settings, decode=True)
    journal = InboundJournal(client, "sms", "owner-1")
    await journal.add("sms-33600000001", {"text": "avant"}, 0.0)  # acknowledged once the replica has it
    assert await redis_connect.replicated(client, "test") == 1
    replica = redis.Redis(port=cluster.ports["replica"])
    assert replica.llen("pimms:inbound:q:sms-33600000001") == 1

    cluster.kill_primary()
    started = time.monotonic()
    with pytest.raises(redis.ConnectionError):
        await client.get("x")  # during the failover a command fails (nothing retried behind the caller's back)
    while True:
        try:
            await journal.add("sms-33600000001", {"text": "après"}, 0.0)
            break
        except redis.ConnectionError:
            assert time.monotonic() - started < 30, "no failover within 30 s"
            await __import__("asyncio").sleep(0.2)
    assert cluster.primary_port() == cluster.ports["replica"]
    assert await journal.pending("sms-33600000001") == 2  # the message written before the kill survived
    assert blocking.llen("pimms:inbound:q:sms-33600000001") == 2  # the blocking client found the new primary
    assert blocking.connection_pool.get_master_address()[1] == cluster.ports["replica"]  # type: ignore[attr-defined]
    pool = await create_arq_pool(redis_connect.arq_settings(settings))
    assert await pool.llen("pimms:inbound:q:sms-33600000001") == 2
    await pool.close()
    # The new primary has no replica left: a durable write stands after the wait, with a warning, and the next
    # ones do not wait for a while (the journal write above already found no replica: start that period again).
    redis_connect._DURABILITY[client.connection_pool].degraded_until = 0.0
    waited = time.monotonic()
    assert await redis_connect.replicated(client, "test") == 0
    assert time.monotonic() - waited >= 1.9  # REDIS_WAIT_TIMEOUT_MS
    waited = time.monotonic()
    assert await redis_connect.replicated(client, "test") == 0
    assert time.monotonic() - waited < 0.5  # then no wait for a while
    await client.close()
    blocking.close()
