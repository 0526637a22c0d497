"""`kill -TERM -- -<group of make run>`: the stop completes and nothing of the stack survives it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from bot.ops.processes import free_port_str, http_ok
from bot.security.rasa_auth import BearerToken
from bot.settings import PROJECT_ROOT
from tests.integration.conftest import TEST_SECRETS


def api() -> dict[str, str]:
    """A fresh JWT for Rasa's HTTP API (no token in the URL)."""
    return BearerToken(TEST_SECRETS["RASA_TOKEN"]).headers()


pytestmark = pytest.mark.stack


def _listening(pids: set[int]) -> list[tuple[int, int]]:
    """(pid, port) of every listening TCP socket still held by one of ``pids``."""
    held = []
    for pid in pids:
        try:
            for conn in psutil.Process(pid).net_connections(kind="inet"):
                if conn.status == psutil.CONN_LISTEN:
                    held.append((pid, conn.laddr.port))
        except (psutil.NoSuchProcess, psutil.ZombieProcess):
            continue
    return held


def _alive(procs: list[psutil.Process]) -> list[str]:
    alive = []
    for proc in procs:
        try:
            if proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE:
                alive.append(f"{proc.pid} {' '.join(proc.cmdline()[:4])}")
        except psutil.NoSuchProcess:
            continue
    return alive


@pytest.mark.timeout(420)
def test_term_to_the_whole_process_group_leaves_no_process_and_no_port(trained_model: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TWILIO_", "TELEGRAM_", "REDIS_URL"))}
    ports = {name: free_port_str() for name in ("RASA_PORT", "ACTION_PORT", "CONSOLE_PORT")}
    env.update(
        ports,
        PIMMS_DATA_DIR=str(tmp_path / "var"),
        RASA_TOKEN=TEST_SECRETS["RASA_TOKEN"],
        CONSOLE_SECRET=TEST_SECRETS["CONSOLE_SECRET"],
        CALLBACK_URL="",
    )
    log = (tmp_path / "run.log").open("wb")
    # What `make run` in a terminal is: its own process group, the runner inside it.
    runner = subprocess.Popen(
        [sys.executable, "-m", "bot.ops.runner"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 360
        console = f"http://127.0.0.1:{ports['CONSOLE_PORT']}/login"
        while not (http_ok(f"http://127.0.0.1:{ports['RASA_PORT']}/status", headers=api()) and http_ok(console)):
            assert runner.poll() is None, (tmp_path / "run.log").read_text(errors="replace")[-3000:]
            assert time.monotonic() < deadline, "stack did not start"
            time.sleep(1)
        # The reminder worker starts last: wait until every part of the stack is there (same deadline).
        while True:
            tree = psutil.Process(runner.pid).children(recursive=True)
            names = " ".join(" ".join(p.cmdline()) for p in tree if p.is_running())
            if "arq" in names or time.monotonic() >= deadline:
                break
            time.sleep(0.5)
        assert "redis-server" in names and "rasa" in names and "bot.console" in names and "arq" in names
        held = _listening({p.pid for p in tree})
        assert {int(port) for port in ports.values()} <= {port for _, port in held}

        os.killpg(runner.pid, signal.SIGTERM)  # the terminal closes / the supervisor stops the group
        time.sleep(0.5)
        os.killpg(runner.pid, signal.SIGTERM)  # make forwards the same signal to the runner again
        runner.wait(timeout=60)
        deadline = time.monotonic() + 5
        while _alive(tree) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _alive(tree) == [], "orphans left: " + "; ".join(_alive(tree))
        assert _listening({p.pid for p in tree}) == []
        for port in ports.values():
            assert not http_ok(f"http://127.0.0.1:{port}/"), f"port {port} still answers"
        assert "Stopped." in (tmp_path / "run.log").read_text(errors="replace")
    finally:
        if runner.poll() is None:
            os.killpg(runner.pid, signal.SIGKILL)
        for proc in psutil.Process().children(recursive=True):
            try:
                if proc.pid != os.getpid() and "bot.ops.runner" in " ".join(proc.cmdline()):
                    proc.kill()
            except psutil.Error:  # gone, or a zombie some earlier test left to be reaped: nothing to kill
                continue
        log.close()


@pytest.mark.timeout(480)
def test_kill_9_of_the_runner_with_two_rasa_workers_leaves_no_process(trained_model: Path, tmp_path: Path) -> None:
    # Issue 22, L6: Sanic forks the extra workers itself; they must die with the runner all the same.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TWILIO_", "TELEGRAM_", "REDIS_URL"))}
    ports = {name: free_port_str() for name in ("RASA_PORT", "ACTION_PORT", "CONSOLE_PORT")}
    env.update(
        ports,
        PIMMS_DATA_DIR=str(tmp_path / "var"),
        RASA_TOKEN=TEST_SECRETS["RASA_TOKEN"],
        CONSOLE_SECRET=TEST_SECRETS["CONSOLE_SECRET"],
        CALLBACK_URL="",
        RASA_WORKERS="2",
    )
    log = (tmp_path / "run.log").open("wb")
    runner = subprocess.Popen(
        [sys.executable, "-m", "bot.ops.runner"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    tree: list[psutil.Process] = []
    try:
        deadline = time.monotonic() + 400
        console = f"http://127.0.0.1:{ports['CONSOLE_PORT']}/login"
        while not (http_ok(f"http://127.0.0.1:{ports['RASA_PORT']}/status", headers=api()) and http_ok(console)):
            assert runner.poll() is None, (tmp_path / "run.log").read_text(errors="replace")[-3000:]
            assert time.monotonic() < deadline, "stack did not start"
            time.sleep(1)
        while True:  # the worker starts last; Rasa's master forks its two Sanic workers
            tree = psutil.Process(runner.pid).children(recursive=True)
            names = " ".join(" ".join(p.cmdline()) for p in tree if p.is_running())
            masters = [p for p in tree if "rasa" in p.cmdline() and p.ppid() == runner.pid]
            workers = masters[0].children() if masters else []
            if ("arq" in names and len(workers) == 2) or time.monotonic() >= deadline:
                break
            time.sleep(0.5)
        assert "arq" in names and len(workers) == 2, names
        tree = psutil.Process(runner.pid).children(recursive=True)
        assert {w.pid for w in workers} <= {p.pid for p in tree}

        runner.kill()  # kill -9: no handler runs, no stop, no atexit
        runner.wait(timeout=30)
        deadline = time.monotonic() + 10
        while _alive(tree) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _alive(tree) == [], "orphans left: " + "; ".join(_alive(tree))
        assert _listening({p.pid for p in tree}) == []
        for port in ports.values():
            assert not http_ok(f"http://127.0.0.1:{port}/"), f"port {port} still answers"
    finally:
        if runner.poll() is None:
            runner.kill()
        for proc in tree:
            try:
                proc.kill()
            except psutil.Error:
                continue
        log.close()
