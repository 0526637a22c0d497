"""Fixtures of the failover tests: the stack tests' trained model, the fake Twilio, a Sentinel cluster."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.failover.cluster import SentinelCluster, sentinel_cluster
from tests.integration.conftest import trained_model  # noqa: F401 (fixture)


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[SentinelCluster]:
    """A fresh primary, replica and three sentinels for one test."""
    with sentinel_cluster(tmp_path / "cluster") as started:
        yield started
