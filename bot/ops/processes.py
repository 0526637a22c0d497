"""Child processes with prefixed log lines, readiness checks and clean stops."""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

PR_SET_PDEATHSIG = 1
_libc: ctypes.CDLL | None = None


def die_with_parent_hook() -> Callable[[], None] | None:
    """A ``preexec_fn`` making the child receive SIGKILL when its parent dies (Linux), else None.

    libc is loaded here, in the parent: the hook itself only makes one system call after fork.
    Linux sends the signal when the *thread* that started the child ends: start children from the
    main thread (the runner and the test fixtures do).
    """
    global _libc
    if not sys.platform.startswith("linux"):
        return None
    if _libc is None:
        _libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
    libc, parent = _libc, os.getpid()

    def hook() -> None:
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent:  # the parent died before prctl: do not run as an orphan
            os._exit(1)

    return hook


def die_with_parent_in_forks() -> bool:
    """Make every child this process forks *from its main thread* die with it (Linux; False elsewhere).

    ``preexec_fn`` covers the children the runner starts, but PR_SET_PDEATHSIG is not inherited across fork:
    Sanic's extra workers (RASA_WORKERS > 1, ``multiprocessing`` fork) would survive a ``kill -9`` of the runner
    and keep Rasa's port (issue 22, L6). With this hook the chain runner -> Rasa master -> workers dies whole.
    Forks from other threads are left alone: the signal fires when the *forking thread* ends.
    """
    global _libc
    if not sys.platform.startswith("linux"):
        return False
    if _libc is None:
        _libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
    libc = _libc
    forking: dict[str, int] = {}

    def before() -> None:
        forking["parent"] = os.getpid() if threading.current_thread() is threading.main_thread() else 0

    def after_in_child() -> None:
        parent = forking.get("parent", 0)
        if not parent:
            return
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent:  # the parent died before prctl: do not run as an orphan
            os._exit(1)

    os.register_at_fork(before=before, after_in_child=after_in_child)
    return True


COLOURS = ("\033[36m", "\033[33m", "\033[35m", "\033[32m", "\033[34m", "\033[31m")
RESET = "\033[0m"


def http_ok(url: str, timeout: float = 2.0, headers: Mapping[str, str] | None = None) -> bool:
    """Whether a GET on ``url`` answers 2xx."""
    try:
        request = urllib.request.Request(url, headers=dict(headers or {}))
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (local URL)
            return bool(200 <= response.status < 300)
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
            preexec_fn=die_with_parent_hook(),  # noqa: PLW1509 (one prctl call, no lock taken)
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

    def wait_ready(self, url: str, timeout: float, headers: Mapping[str, str] | None = None) -> None:
        """Wait until ``url`` answers, or raise if the process dies or time runs out."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.alive:
                raise RuntimeError(f"{self.name} exited with code {self.process.returncode if self.process else '?'}")
            if http_ok(url, headers=headers):
                return
            time.sleep(0.5)
        raise TimeoutError(f"{self.name} did not answer at {url} within {timeout:.0f} s")

    def terminate(self) -> None:
        """Send SIGTERM to the process group (returns at once; see ``finish``)."""
        if self.process is not None and self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    def finish(self, deadline: float) -> None:
        """Wait until ``deadline`` (monotonic) for the process to exit, then SIGKILL its group."""
        if self.process is None:
            return
        try:
            self.process.wait(timeout=max(deadline - time.monotonic(), 0.0))
        except subprocess.TimeoutExpired:
            self.write(f"{self.name:>8} | did not stop in time: killed")
        try:  # also whatever the child started in its group
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.process.wait(timeout=5)
        if self._reader:
            self._reader.join(timeout=2)
        self.process = None

    def stop(self, timeout: float = 15.0) -> None:
        """SIGTERM the process group, then SIGKILL after ``timeout``."""
        self.terminate()
        self.finish(time.monotonic() + timeout)


def live_children(proc: ManagedProcess) -> int:
    """How many direct children of the process still run (zombies do not count)."""
    import psutil

    if proc.process is None:
        return 0
    try:
        children = psutil.Process(proc.process.pid).children()
    except psutil.Error:
        return 0
    alive = 0
    for child in children:
        try:
            alive += child.status() != psutil.STATUS_ZOMBIE
        except psutil.Error:
            continue
    return alive


def stop_together(processes: Sequence[ManagedProcess], timeout: float) -> None:
    """Stop processes in parallel: SIGTERM to all, wait for all within ``timeout``, SIGKILL the rest."""
    for proc in processes:
        proc.terminate()
    deadline = time.monotonic() + timeout
    for proc in processes:
        proc.finish(deadline)


def python() -> str:
    """The interpreter running us (the project's virtual environment)."""
    return sys.executable


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def free_port_str() -> str:
    """A free local TCP port, as a string (for environment variables)."""
    return str(free_port())
