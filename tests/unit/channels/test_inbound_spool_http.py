"""Redis stops: the SMS channel (real Sanic process, fake Twilio) keeps the SMS in its spool, tells the
resident once in the TwiML answer, and answers them in order once Redis is back, after a restart too."""

from __future__ import annotations

import contextlib
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from bot.inbound.messages import SLOWED_DOWN
from bot.ops.redis_server import EmbeddedRedis
from tests.fakes.sanic_harness import new_sid, sign, twilio_form
from tests.fakes.twilio_server import FakeTwilio
from tests.unit.channels.test_inbound_lifecycle import PATH, start


def post(base: str, body: str, phone: str) -> httpx.Response:
    form = twilio_form(body, new_sid(), phone=phone)
    headers = {"X-Twilio-Signature": sign("https://pimms.example.org" + PATH, form)}
    return httpx.post(base + PATH, data=form, headers=headers, timeout=30)


class ChannelProcess:
    """The SMS channel in its own process, on an embedded Redis (persisted) that the test stops and starts."""

    def __init__(self, twilio_url: str, tmp_path: Path) -> None:
        self.twilio_url = twilio_url
        self.data = tmp_path / "var"
        self.redis = EmbeddedRedis(data_dir=tmp_path / "redis", persist=True)
        self.url = self.redis.start()
        self.procs: list[subprocess.Popen[bytes]] = []
        self.base = self.start()

    def start(self) -> str:
        """A new channel process (same data directory); its base URL."""
        proc, self.base = start(self.url, self.twilio_url, self.data)
        self.procs.append(proc)
        return self.base

    def stop(self) -> None:
        """SIGTERM to the running channel process, and wait for it."""
        self.procs[-1].send_signal(signal.SIGTERM)
        self.procs[-1].wait(timeout=20)

    def close(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.kill()
        self.redis.stop()


@contextlib.contextmanager
def channel_process(fake_twilio: FakeTwilio, tmp_path: Path) -> Iterator[ChannelProcess]:
    channel = ChannelProcess(fake_twilio.base_url, tmp_path)
    try:
        yield channel
    finally:
        channel.close()


def test_sms_while_redis_is_down_are_spooled_then_answered_in_order(fake_twilio, tmp_path: Path) -> None:
    with channel_process(fake_twilio, tmp_path) as channel:
        channel.redis.stop()
        first = post(channel.base, "bonjour", "+33611110003")
        assert first.status_code == 200 and SLOWED_DOWN in first.text and "<Message>" in first.text
        second = post(channel.base, "horaires", "+33611110003")
        assert second.status_code == 200 and "<Message>" not in second.text  # told once
        assert (channel.data / "spool" / "sms.jsonl").read_text().count("\n") == 2
        channel.stop()
        channel.redis.start()  # same port, same data
        channel.start()
        assert [m["Body"] for m in fake_twilio.wait_for(1, timeout=20)] == ["echo: bonjour horaires"]
        assert not (channel.data / "spool" / "sms.jsonl").exists()


def test_the_resident_told_once_is_not_told_again_after_a_restart(fake_twilio, tmp_path: Path) -> None:
    told = tmp_path / "var" / "spool" / "sms.told"
    with channel_process(fake_twilio, tmp_path) as channel:
        channel.redis.stop()
        assert SLOWED_DOWN in post(channel.base, "bonjour", "+33611110004").text
        channel.stop()  # Redis still down: the spool stays on disk
        channel.start()
        later = post(channel.base, "vous êtes là ?", "+33611110004")
        assert later.status_code == 200 and "<Message>" not in later.text  # told once, across the restart
        assert SLOWED_DOWN in post(channel.base, "bonjour", "+33611110005").text  # someone else is still told
        assert b"33611110004" not in told.read_bytes()
        channel.redis.start()
        assert len(fake_twilio.wait_for(2, timeout=20)) == 2  # both answered once Redis is back
        deadline = time.monotonic() + 10
        while told.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not told.exists()  # forgotten with the spool
