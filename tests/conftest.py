"""Shared fixtures: a real Redis server (REDIS_URL or an embedded one), clean per test."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from bot.redis_server import EmbeddedRedis, RedisUnavailable, ping

UNIT_TEST_DB = 10
REDIS_TEST_PASSWORD = "redis-test-Pw-7788"

pytest_plugins = ["tests.fakes.fixtures"]


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL (host and port, no database) of a real Redis server for this test run."""
    url = os.environ.get("REDIS_URL", "").strip()
    if url:
        try:
            ping(url)
        except RedisUnavailable as exc:
            pytest.exit(f"REDIS_URL is set but Redis does not answer: {exc}", returncode=3)
        yield url.rsplit("/", 1)[0] if url.count("/") > 2 else url
        return
    # With a password, like `make run`'s embedded server: every client must honour the URL's credentials.
    server = EmbeddedRedis(data_dir=Path(tmp_path_factory.mktemp("redis")), persist=False, password=REDIS_TEST_PASSWORD)
    base = server.start().rsplit("/", 1)[0]
    yield base
    server.stop()


@pytest.fixture
def redis_url(redis_server: str) -> Iterator[str]:
    """URL of an emptied Redis database reserved for unit-level tests."""
    url = f"{redis_server}/{UNIT_TEST_DB}"
    client = redis.Redis.from_url(url)
    client.flushdb()
    client.close()
    yield url
