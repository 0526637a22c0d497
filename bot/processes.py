"""Child processes with prefixed log lines, readiness checks and clean stops."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

COLOURS = ("\033[36m", "\033[33m", "\033[35m", "\033[32m", "\033[34m", "\033[31m")
RESET = "\033[0m"


def http_ok(url: str, timeout: float = 2.0) -> bool:
    """Whether a GET on ``url`` answers 2xx."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (local URL)
            return 200 <= response.status < 300
    except (urllib.error.URLError, OSError, ValueError):
        return False


@dataclass
class ManagedProcess:
    """One child process whose output lines are prefixed with its name."""

    name: str
    args: Sequence[str]
    env: Mapping[str, str]
    cwd: Path
    write: Callable[[str], None] = field(default=lambda line: print(line, flush=True))
    colour: str = ""
    process: subprocess.Popen[bytes] | None = None
    _reader: threading.Thread | None = None

    def start(self) -> None:
        """Start the process (in its own process group, so Ctrl-C is handled by the supervisor)."""
        self.process = subprocess.Popen(
            list(self.args),
            cwd=self.cwd,
            env=dict(self.env),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        self._reader = threading.Thread(target=self._pump, daemon=True)
        self._reader.start()

    def _pump(self) -> None:
        assert self.process and self.process.stdout
        prefix = f"{self.colour}{self.name:>8} |{RESET if self.colour else ''} "
        for raw in iter(self.process.stdout.readline, b""):
            self.write(prefix + raw.decode(errors="replace").rstrip())

    @property
    def alive(self) -> bool:
        """Whether the process is running."""
        return self.process is not None and self.process.poll() is None

    def wait_ready(self, url: str, timeout: float) -> None:
        """Wait until ``url`` answers, or raise if the process dies or time runs out."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.alive:
                raise RuntimeError(f"{self.name} exited with code {self.process.returncode if self.process else '?'}")
            if http_ok(url):
                return
            time.sleep(0.5)
        raise TimeoutError(f"{self.name} did not answer at {url} within {timeout:.0f} s")

    def stop(self, timeout: float = 15.0) -> None:
        """SIGTERM the process group, then SIGKILL after ``timeout``."""
        if not self.process:
            return
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)
        if self._reader:
            self._reader.join(timeout=2)
        self.process = None


def python() -> str:
    """The interpreter running us (the project's virtual environment)."""
    return sys.executable


def free_port_str() -> str:
    """A free local TCP port, as a string (for environment variables)."""
    from bot.redis_server import free_port

    return str(free_port())
