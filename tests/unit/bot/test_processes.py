"""Children started by the runner die with it, even when the runner is killed without warning."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import pytest

from bot.ops.processes import ManagedProcess, live_children
from bot.ops.stack import Stack
from bot.settings import PROJECT_ROOT

PARENT = """
import subprocess, sys, time
from bot.ops.processes import die_with_parent_hook
child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"], preexec_fn=die_with_parent_hook())
print(child.pid, flush=True)
time.sleep(120)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux only")
def test_child_is_killed_when_its_parent_is_killed() -> None:
    parent = subprocess.Popen([sys.executable, "-c", PARENT], stdout=subprocess.PIPE, text=True)
    try:
        assert parent.stdout is not None
        child = psutil.Process(int(parent.stdout.readline()))
        assert child.is_running()
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=10)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if child.status() == psutil.STATUS_ZOMBIE:
                    break
            except psutil.NoSuchProcess:
                break
            time.sleep(0.05)
        else:
            child.kill()
            pytest.fail("the child outlived its parent")
    finally:
        parent.kill()


FORKER = """
import multiprocessing, os, time

def serve():
    time.sleep(120)

if __name__ == "__main__":
    # What Sanic 21.12's serve_multiple does for RASA_WORKERS > 1.
    worker = multiprocessing.get_context("fork").Process(target=serve, daemon=True)
    worker.start()
    print(worker.pid, flush=True)
    time.sleep(120)
"""


def _wait_gone(proc: psutil.Process, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if proc.status() == psutil.STATUS_ZOMBIE:
                return True
        except psutil.NoSuchProcess:
            return True
        time.sleep(0.05)
    return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux only")
def test_a_forked_worker_dies_with_the_launched_module(tmp_path: Path) -> None:
    # Issue 22, L6: Sanic's extra workers are forked by Rasa, not started by the runner.
    (tmp_path / "forker.py").write_text(FORKER, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": f"{PROJECT_ROOT}{os.pathsep}{tmp_path}"}
    parent = subprocess.Popen(
        [sys.executable, "-m", "bot.ops.launch", "forker"], stdout=subprocess.PIPE, text=True, env=env, cwd=tmp_path
    )
    worker: psutil.Process | None = None
    try:
        assert parent.stdout is not None
        worker = psutil.Process(int(parent.stdout.readline()))
        assert worker.ppid() == parent.pid and worker.is_running()
        parent.send_signal(signal.SIGKILL)  # no handler, no atexit: only the kernel can stop the worker
        parent.wait(timeout=10)
        assert _wait_gone(worker), "the forked worker outlived its parent"
    finally:
        parent.kill()
        if worker is not None and worker.is_running():
            worker.kill()


TWO_WORKERS = """
import multiprocessing, time

def serve():
    time.sleep(120)

if __name__ == "__main__":
    context = multiprocessing.get_context("fork")
    for _ in range(2):
        context.Process(target=serve, daemon=True).start()
    time.sleep(120)
"""


def test_a_rasa_worker_dying_alone_stops_the_stack(tmp_path: Path) -> None:
    # Issue 22, L6: Sanic does not restart a dead worker; the runner must notice it and stop everything.
    script = tmp_path / "master.py"
    script.write_text(TWO_WORKERS, encoding="utf-8")
    rasa = ManagedProcess("rasa", [sys.executable, str(script)], dict(os.environ), tmp_path, write=lambda _: None)
    stack = Stack(env={"RASA_WORKERS": "2"}, model=tmp_path / "model", root=tmp_path)
    stack.processes["rasa"] = rasa
    rasa.start()
    try:
        deadline = time.monotonic() + 10
        while live_children(rasa) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert live_children(rasa) == 2
        result: list[str] = []
        watcher = threading.Thread(target=lambda: result.append(stack.wait_alive(poll=0.05)), daemon=True)
        watcher.start()
        time.sleep(0.3)
        assert result == []  # both workers run: nothing to report
        assert rasa.process is not None
        psutil.Process(rasa.process.pid).children()[0].kill()
        watcher.join(timeout=5)
        assert result == ["rasa worker"]
    finally:
        rasa.stop(timeout=5)
