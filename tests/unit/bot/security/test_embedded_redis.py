"""The embedded Redis server requires a password kept in a 0600 file, never on its command line (finding 5)."""

from __future__ import annotations

import stat
from pathlib import Path

import psutil
import pytest
import redis

from bot.redis_server import EmbeddedRedis

PASSWORD = "Embedded-redis-pw-0123456789"


def test_embedded_redis_needs_its_password(tmp_path: Path) -> None:
    server = EmbeddedRedis(data_dir=tmp_path, persist=False, password=PASSWORD)
    url = server.start()
    try:
        anonymous = redis.Redis(host="127.0.0.1", port=server.port)
        with pytest.raises(redis.AuthenticationError):
            anonymous.set("pimms:console:mediators", "forged")
        anonymous.close()
        client = redis.Redis.from_url(url)
        assert client.ping()
        client.close()
        assert server.process is not None
        cmdline = " ".join(psutil.Process(server.process.pid).cmdline())
        assert PASSWORD not in cmdline
        listening = [
            c.laddr.ip for c in psutil.Process(server.process.pid).net_connections("inet") if c.status == "LISTEN"
        ]
        assert listening and all(ip in ("127.0.0.1", "::1") for ip in listening)
        assert stat.S_IMODE((tmp_path / "redis.conf").stat().st_mode) == 0o600
    finally:
        server.stop()
