"""Nothing accepted is lost: a Rasa stop or crash in the middle of an SMS burst, a Twilio outage."""

from __future__ import annotations

import os
import signal
import time
from typing import Any

import httpx
import pytest
import redis

from bot.console.cli import main as mediators
from bot.settings import Settings
from tests.integration.stack_client import send_sms

pytestmark = pytest.mark.stack


def kill_rasa(stack: Any) -> None:
    """A crash: SIGKILL, no chance to drain."""
    proc = stack.stack.processes.pop("rasa")
    os.killpg(proc.process.pid, signal.SIGKILL)
    proc.finish(time.monotonic() + 10)


@pytest.mark.timeout(400)
def test_burst_survives_a_rasa_stop_and_a_rasa_crash(stack: Any, fake_twilio: Any) -> None:
    stopped, crashed = "+33612358001", "+33612358002"
    send_sms(stack, stopped, "bonjour")
    stack.stack.stop_rasa()  # SIGTERM inside the burst window: drained before Rasa exits
    try:
        _wait_for_body(fake_twilio, stopped, seconds=10)
        assert fake_twilio.bodies_to(stopped), "the burst waiting when Rasa stopped was not answered"
    finally:
        stack.stack.start_rasa()  # later tests need Rasa, whatever happened here
    _crash_in_burst(stack, fake_twilio, crashed)


def _wait_for_body(fake_twilio: Any, phone: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not fake_twilio.bodies_to(phone) and time.monotonic() < deadline:
        time.sleep(0.2)


def _crash_in_burst(stack: Any, fake_twilio: Any, crashed: str) -> None:
    send_sms(stack, crashed, "bonjour")
    send_sms(stack, crashed, "horaires lyon 8")
    kill_rasa(stack)  # inside the burst window: nothing ran yet
    try:
        time.sleep(1)
        assert fake_twilio.bodies_to(crashed) == []
    finally:
        stack.stack.start_rasa()
    deadline = time.monotonic() + 60
    while not fake_twilio.bodies_to(crashed) and time.monotonic() < deadline:
        time.sleep(0.3)
    assert fake_twilio.bodies_to(crashed), "the burst waiting when Rasa crashed was not answered after restart"
    time.sleep(2)
    user_turns = [e["text"] for e in stack.tracker("sms-33612358002")["events"] if e["event"] == "user"]
    assert user_turns == ["bonjour horaires lyon 8"]  # one merged turn, processed once


@pytest.mark.timeout(120)
def test_twilio_500_then_recovery_delivers_the_reply_once(stack: Any, fake_twilio: Any) -> None:
    phone = "+33612358003"
    fake_twilio.fail_next = 2
    send_sms(stack, phone, "bonjour")
    fake_twilio.wait_for(1, timeout=60)
    time.sleep(3)
    failed = [c for c in fake_twilio.calls if c.get("failed")]
    bodies = fake_twilio.bodies_to(phone)
    assert len(failed) == 2 and bodies
    assert len(bodies) == len(set(bodies)), bodies  # each part once
    client = redis.Redis.from_url(stack.redis_url)
    assert client.zcard("pimms:outbound:dead") == 0


@pytest.mark.timeout(180)
def test_a_reply_that_finally_fails_is_shown_to_mediators(stack: Any, fake_twilio: Any, monkeypatch: Any) -> None:
    phone = "+33612358004"
    client = redis.Redis.from_url(stack.redis_url)
    before = client.zcard("pimms:outbound:dead")
    fake_twilio.fail_next = 1000
    send_sms(stack, phone, "bonjour")
    deadline = time.monotonic() + 60
    while client.zcard("pimms:outbound:dead") == before and time.monotonic() < deadline:
        time.sleep(0.3)
    fake_twilio.fail_next = 0
    assert client.zcard("pimms:outbound:dead") > before
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("mot de passe durable\n"))
    assert mediators(["password", "durable-med", "--password-stdin"], Settings.from_env(stack.env)) == 0
    with httpx.Client(base_url=stack.console_url, timeout=10) as mediator:
        token = mediator.get("/login").text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
        login = {"csrf": token, "name": "durable-med", "password": "mot de passe durable"}
        assert mediator.post("/login", data=login).status_code == 303
        page = mediator.get("/non-remis")
        assert page.status_code == 200 and "sms +33 6 ** ** ** 04" in page.text and "Twilio 500" in page.text
        assert mediator.get("/api/non-remis").json()["count"] >= 1
