"""bot/redis_connect.py without Sentinel: parsing, settings, endpoints, and WAIT on a server without replica."""

from __future__ import annotations

import pytest
import redis.asyncio as aioredis

from bot import redis_connect
from bot.ops.endpoints_config import endpoints
from bot.settings import ConfigError, Settings


def test_sentinel_addresses_are_parsed_with_ipv6_and_spaces() -> None:
    assert redis_connect.sentinel_addresses("10.0.0.1:26379, [::1]:26380,") == [("10.0.0.1", 26379), ("::1", 26380)]


@pytest.mark.parametrize("bad", ["10.0.0.1", "host:port", ":26379"])
def test_a_malformed_sentinel_address_is_refused(bad: str) -> None:
    with pytest.raises(ConfigError):
        redis_connect.sentinel_addresses(bad)


def test_sentinels_need_the_master_name_and_make_writes_wait_for_one_replica() -> None:
    with pytest.raises(ConfigError):
        Settings.from_env({"REDIS_SENTINELS": "127.0.0.1:26379"})
    settings = Settings.from_env({"REDIS_SENTINELS": "127.0.0.1:26379", "REDIS_SENTINEL_MASTER": "pimms"})
    assert (settings.redis_wait_replicas, settings.redis_wait_timeout_ms) == (1, 500)
    assert Settings.from_env({}).redis_wait_replicas == 0
    assert Settings.from_env({"REDIS_WAIT_REPLICAS": "2"}).redis_wait_replicas == 2


def test_the_stores_get_the_sentinels_and_rebuild_the_same_settings() -> None:
    settings = Settings.from_env(
        {
            "REDIS_URL": "rediss://user:p%40ss@10.0.0.5:6380/3?ssl_ca_certs=/etc/ca.pem",
            "REDIS_SENTINELS": "10.0.0.1:26379,10.0.0.2:26379",
            "REDIS_SENTINEL_MASTER": "pimms",
            "REDIS_SENTINEL_PASSWORD": "sentinel-secret-123456",
        }
    )
    generated = endpoints(settings)
    for section in ("tracker_store", "lock_store"):
        store = generated[section]
        assert store["sentinels"] == "10.0.0.1:26379,10.0.0.2:26379" and store["sentinel_master"] == "pimms"
        again = redis_connect.settings_of_store({**store, "url": store["url"]})
        assert again.redis_sentinels == settings.redis_sentinels
        assert again.redis_sentinel_password == "sentinel-secret-123456"
        assert again.redis_wait_replicas == 1
        options = redis_connect.server_options(again.redis_url)
        assert (options["db"], options["username"], options["password"], options["ssl"]) == (3, "user", "p@ss", True)
        assert options["ssl_ca_certs"] == "/etc/ca.pem"
    assert "sentinels" not in endpoints(Settings.from_env({}))["tracker_store"]


def test_arq_follows_the_sentinels() -> None:
    settings = Settings.from_env(
        {"REDIS_URL": "redis://:pw@x:1/2", "REDIS_SENTINELS": "127.0.0.1:26379", "REDIS_SENTINEL_MASTER": "pimms"}
    )
    arq = redis_connect.arq_settings(settings)
    assert arq.sentinel and arq.sentinel_master == "pimms" and arq.host == [("127.0.0.1", 26379)]
    assert (arq.database, arq.password) == (2, "pw")
    plain = redis_connect.arq_settings(Settings(redis_url="redis://127.0.0.1:6390/4"))
    assert (plain.sentinel, plain.port, plain.database, plain.conn_timeout) == (False, 6390, 4, 5)


async def test_replicated_does_nothing_without_a_replica_policy(redis_url: str) -> None:
    client = redis_connect.client(Settings(redis_url=redis_url))
    try:
        assert await redis_connect.replicated(client, "test") == 0
        assert await client.exists(redis_connect.WAIT_MARK) == 0  # not even the mark
    finally:
        await client.close()


async def test_replicated_waits_and_warns_when_no_replica_answers(
    redis_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    client = redis_connect.client(Settings(redis_url=redis_url, redis_wait_replicas=1, redis_wait_timeout_ms=50))
    try:
        assert await redis_connect.replicated(client, "booking") == 0  # the server has no replica
        assert await client.pttl(redis_connect.WAIT_MARK) > 0  # the mark expires
        assert "booking kept by the primary, 0 of 1 replicas" in caplog.text
        await client.delete(redis_connect.WAIT_MARK)
        assert await redis_connect.replicated(client, "booking") == 0  # degraded: no wait, no mark for a while
        assert await client.exists(redis_connect.WAIT_MARK) == 0
        plain = aioredis.Redis.from_url(redis_url)  # a client not built from the settings: no policy
        assert await redis_connect.replicated(plain, "x") == 0
        await plain.close()
    finally:
        await client.close()
