"""Shared fixtures: a real Redis server (REDIS_URL or an embedded one), clean per test."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import redis
import redis.asyncio as aioredis

from bot.ops.redis_server import EmbeddedRedis, RedisUnavailable, ping
from tests.sites import SITES_FILE

UNIT_TEST_DB = 10
REDIS_TEST_PASSWORD = "redis-test-Pw-7788"

pytest_plugins = ["tests.fakes.fixtures"]


@pytest.fixture(scope="session", autouse=True)
def fixture_sites_file() -> Iterator[None]:
    """Every process started by the tests (actions, the stack) reads the fixture sites, not config/."""
    before = os.environ.get("PIMMS_SITES_FILE")
    os.environ["PIMMS_SITES_FILE"] = str(SITES_FILE)
    yield
    if before is None:
        os.environ.pop("PIMMS_SITES_FILE", None)
    else:
        os.environ["PIMMS_SITES_FILE"] = before


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


@pytest.fixture
async def client(redis_url: str) -> AsyncIterator[aioredis.Redis]:
    """An asyncio Redis client on the emptied unit-test database, closed after the test."""
    redis_client = aioredis.Redis.from_url(redis_url)
    yield redis_client
    await redis_client.close(close_connection_pool=True)
