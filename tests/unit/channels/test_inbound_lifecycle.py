"""The SMS channel in a real Sanic process (as Rasa runs it), real Redis, fake Twilio: an SMS waiting in
its burst window is answered when the process is stopped (SIGTERM drains) or, after a crash (SIGKILL),
by the next process as soon as it starts."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from bot.ops.processes import free_port, http_ok
from bot.settings import PROJECT_ROOT
from tests.fakes.sanic_harness import new_sid, sign, twilio_form

PATH = "/webhooks/sms/webhook"


def start(redis_url: str, twilio_url: str, data: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    args = [sys.executable, "-m", "tests.fakes.channel_app", str(port), redis_url, twilio_url, "2", str(data)]
    proc = subprocess.Popen(args, cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while not http_ok(base + "/webhooks/sms/"):
        assert proc.poll() is None and time.monotonic() < deadline, "channel app did not start"
        time.sleep(0.1)
    return proc, base


def post(base: str, body: str, phone: str) -> None:
    form = twilio_form(body, new_sid(), phone=phone)
    headers = {"X-Twilio-Signature": sign("https://pimms.example.org" + PATH, form)}
    assert httpx.post(base + PATH, data=form, headers=headers, timeout=10).status_code == 200


def test_sigterm_in_the_burst_window_answers_before_exiting(redis_url: str, fake_twilio, tmp_path: Path) -> None:
    proc, base = start(redis_url, fake_twilio.base_url, tmp_path)
    try:
        post(base, "bonjour", "+33611110001")
        proc.send_signal(signal.SIGTERM)  # 2 s burst window: nothing answered yet
        proc.wait(timeout=20)
        assert fake_twilio.bodies_to("+33611110001") == ["echo: bonjour"]
    finally:
        if proc.poll() is None:
            proc.kill()


def test_a_crash_in_the_burst_window_is_answered_by_the_next_start(redis_url: str, fake_twilio, tmp_path: Path):
    proc, base = start(redis_url, fake_twilio.base_url, tmp_path)
    post(base, "bonjour", "+33611110002")
    post(base, "encore", "+33611110002")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    time.sleep(2.5)
    assert fake_twilio.messages == []
    again, _ = start(redis_url, fake_twilio.base_url, tmp_path)
    try:
        assert [m["Body"] for m in fake_twilio.wait_for(1, timeout=15)] == ["echo: bonjour encore"]
    finally:
        again.send_signal(signal.SIGTERM)
        again.wait(timeout=20)
