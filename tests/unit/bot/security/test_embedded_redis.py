"""The embedded Redis server requires a password kept in a 0600 file, never on its command line (finding 5);
its data files and the rest of var/ are readable by their owner only (issue 22, M1)."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import psutil
import pytest
import redis

from bot.ops.redis_server import EmbeddedRedis, RedisUnavailable
from bot.ops.stack import Stack

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


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_persisted_redis_data_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    # Issue 22, M1: the AOF and RDB hold every conversation, number and mediator hash.
    data = tmp_path / "var" / "redis"
    data.mkdir(parents=True, mode=0o755)
    data.chmod(0o755)
    old_dump = data / "dump.rdb.old"  # a file left by an earlier run with the default umask
    old_dump.write_bytes(b"old")
    old_dump.chmod(0o644)
    umask = os.umask(0o022)  # what a shell usually has: the server must not inherit it
    try:
        server = EmbeddedRedis(data_dir=data, persist=True, password=PASSWORD)
        url = server.start()
    finally:
        os.umask(umask)
    try:
        client = redis.Redis.from_url(url)
        client.set("pimms:handoff:conv:sms-33612345678", "conversation")
        client.save()  # writes dump.rdb now; the AOF gets the SET
        client.close()
        aof, rdb = data / "appendonly.aof", data / "dump.rdb"
        deadline = time.monotonic() + 5
        while not (aof.exists() and aof.stat().st_size) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert aof.stat().st_size > 0 and rdb.stat().st_size > 0
        assert _mode(data) == 0o700
        for path in (aof, rdb, old_dump, data / "redis.conf"):
            assert _mode(path) == 0o600, path.name
    finally:
        server.stop()
    assert _mode(data / "dump.rdb") == 0o600  # rewritten at shutdown


def test_the_stack_makes_var_private_before_starting_anything(tmp_path: Path) -> None:
    var = tmp_path / "var"
    (var / "spool").mkdir(parents=True)
    var.chmod(0o755)
    (var / "spool").chmod(0o755)
    secret = var / "console_secret"
    secret.write_text("an-older-secret-written-with-0644")
    secret.chmod(0o644)
    stack = Stack(env={"PIMMS_DATA_DIR": str(var), "REDIS_URL": "redis://127.0.0.1:1/0"}, model=tmp_path / "m")
    with pytest.raises(RedisUnavailable):
        stack.prepare()  # no Redis there: it stops at once, but var/ was made private first
    assert _mode(var) == 0o700 and _mode(var / "spool") == 0o700
    assert _mode(secret) == 0o600
