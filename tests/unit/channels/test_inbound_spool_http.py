"""Redis stops: the SMS channel (real Sanic process, fake Twilio) keeps the SMS in its spool, tells the
resident once in the TwiML answer, and answers them in order once Redis is back, after a restart too."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import httpx

from bot.inbound.messages import SLOWED_DOWN
from bot.redis_server import EmbeddedRedis
from tests.fakes.sanic_harness import new_sid, sign, twilio_form
from tests.unit.channels.test_inbound_lifecycle import PATH, start


def post(base: str, body: str, phone: str) -> httpx.Response:
    form = twilio_form(body, new_sid(), phone=phone)
    headers = {"X-Twilio-Signature": sign("https://pimms.example.org" + PATH, form)}
    return httpx.post(base + PATH, data=form, headers=headers, timeout=30)


def test_sms_while_redis_is_down_are_spooled_then_answered_in_order(fake_twilio, tmp_path: Path) -> None:
    server = EmbeddedRedis(data_dir=tmp_path / "redis", persist=True)
    url = server.start()
    proc, base = start(url, fake_twilio.base_url, tmp_path / "var")
    again = None
    try:
        server.stop()
        first = post(base, "bonjour", "+33611110003")
        assert first.status_code == 200 and SLOWED_DOWN in first.text and "<Message>" in first.text
        second = post(base, "horaires", "+33611110003")
        assert second.status_code == 200 and "<Message>" not in second.text  # told once
        assert (tmp_path / "var" / "spool" / "sms.jsonl").read_text().count("\n") == 2
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=20)
        server.start()  # same port, same data
        again, _ = start(url, fake_twilio.base_url, tmp_path / "var")
        assert [m["Body"] for m in fake_twilio.wait_for(1, timeout=20)] == ["echo: bonjour horaires"]
        assert not (tmp_path / "var" / "spool" / "sms.jsonl").exists()
    finally:
        for p in (proc, again):
            if p is not None and p.poll() is None:
                p.kill()
        server.stop()


def test_the_resident_told_once_is_not_told_again_after_a_restart(fake_twilio, tmp_path: Path) -> None:
    server = EmbeddedRedis(data_dir=tmp_path / "redis", persist=True)
    url = server.start()
    proc, base = start(url, fake_twilio.base_url, tmp_path / "var")
    again = None
    try:
        server.stop()
        assert SLOWED_DOWN in post(base, "bonjour", "+33611110004").text
        proc.send_signal(signal.SIGTERM)  # Redis still down: the spool stays on disk
        proc.wait(timeout=20)
        again, base = start(url, fake_twilio.base_url, tmp_path / "var")
        later = post(base, "vous êtes là ?", "+33611110004")
        assert later.status_code == 200 and "<Message>" not in later.text  # told once, across the restart
        other = post(base, "bonjour", "+33611110005")
        assert SLOWED_DOWN in other.text  # someone else is still told
        assert b"33611110004" not in (tmp_path / "var" / "spool" / "sms.told").read_bytes()
        server.start()
        assert len(fake_twilio.wait_for(2, timeout=20)) == 2  # both answered once Redis is back
        deadline = time.monotonic() + 10
        while (tmp_path / "var" / "spool" / "sms.told").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not (tmp_path / "var" / "spool" / "sms.told").exists()  # forgotten with the spool
    finally:
        for p in (proc, again):
            if p is not None and p.poll() is None:
                p.kill()
        server.stop()
