"""The `stack` fixture: the real assistant (trained model, Redis, action server, Rasa server, console, worker)."""

from __future__ import annotations

import json
import os
import secrets
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis

from bot.console.refs import KEY as REF_KEY
from bot.console.refs import conversation_ref
from bot.ops.processes import free_port_str
from bot.ops.stack import Stack
from bot.ops.training import ensure_model
from bot.security.rasa_auth import BearerToken
from tests.fakes.twilio_server import AUTH_TOKEN as TWILIO_AUTH_TOKEN
from tests.integration.callback_server import CallbackCapture
from tests.integration.stack_clock import StackClock, stack_clock

STACK_DB = 9
# Known values, so that tests can look for them in logs, command lines and URLs (tests/integration/test_logs*).
TEST_SECRETS = {
    "RASA_TOKEN": "rasa-api-Qm8xT2vLp4",
    "CONSOLE_SECRET": "console-Zr7wK3nBd9y",
    "REST_TOKEN": "rest-token-Hy5cV8mJq2",
    "ACTION_TOKEN": "action-token-Wd3fG6sNb1",
    "TWILIO_AUTH_TOKEN": TWILIO_AUTH_TOKEN,
    "TELEGRAM_WEBHOOK_SECRET": "tg-webhook-Lx2aS5dFg8",
}
MEDIATOR_GROUP = "-1001234567890"  # the mediators' Telegram group (alerts about new hand-offs)
WHATSAPP_FROM = "whatsapp:+14155238886"  # the WhatsApp channel is on beside SMS whenever the fake Twilio is
WHATSAPP_CONTENT_SIDS = {  # the approved templates of config/whatsapp_templates.yml, as Twilio names them
    "TWILIO_WHATSAPP_CONTENT_BOOKING_REMINDER": "HX" + "1" * 32,
    "TWILIO_WHATSAPP_CONTENT_FOLLOW_UP": "HX" + "2" * 32,
    "TWILIO_WHATSAPP_CONTENT_BOOKING_CANCELLED": "HX" + "3" * 32,
    "TWILIO_WHATSAPP_CONTENT_SITE_CLOSED": "HX" + "4" * 32,
}


def _optional_fixture(request: pytest.FixtureRequest, name: str) -> Any:
    try:
        return request.getfixturevalue(name)
    except pytest.FixtureLookupError:
        return None


class StackHandle:
    """What tests use to talk to the running stack."""

    def __init__(self, stack: Stack, callback: CallbackCapture, clock: StackClock | None = None) -> None:
        self.stack = stack
        self.callback = callback
        self.clock = clock or StackClock()  # the stack's moment (tests/integration/stack_clock.py)
        self._bearer: BearerToken | None = None
        self.fake_twilio: Any = None
        self.fake_telegram: Any = None
        self.logs: list[str] = []

    @property
    def env(self) -> dict[str, str]:
        return self.stack.env

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.env['RASA_PORT']}"

    @property
    def console_url(self) -> str:
        return f"http://127.0.0.1:{self.env.get('CONSOLE_PORT', '')}"

    @property
    def token(self) -> str:
        return self.env["RASA_TOKEN"]

    @property
    def redis_url(self) -> str:
        return self.env["REDIS_URL"]

    def rest_headers(self) -> dict[str, str]:
        """The REST/callback channels' bearer token (deployment mode: PUBLIC_BASE_URL is set)."""
        return {"Authorization": f"Bearer {self.env['REST_TOKEN']}"}

    def api_headers(self) -> dict[str, str]:
        """Rasa's HTTP API: a JWT in the Authorization header (no token in any URL)."""
        if self._bearer is None:
            self._bearer = BearerToken(self.token, clock=self.clock.epoch)  # issued at the stack's moment
        return self._bearer.headers()

    def _request(self, method: str, url: str, body: Any = None, headers: dict[str, str] | None = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        all_headers = {"Content-Type": "application/json", **(headers or {})}
        req = urllib.request.Request(url, data=data, method=method, headers=all_headers)
        with urllib.request.urlopen(req, timeout=120) as response:  # noqa: S310 (local URL)
            raw = response.read().decode()
        try:
            return json.loads(raw) if raw else None
        except json.JSONDecodeError:
            return raw  # e.g. the callback channel answers "success"

    def rest(self, sender_id: str, text: str) -> list[dict[str, Any]]:
        """Send one message through the REST channel; the bot's messages."""
        return self._request(
            "POST",
            f"{self.rasa_url}/webhooks/rest/webhook",
            {"sender": sender_id, "message": text},
            self.rest_headers(),
        )

    def texts(self, sender_id: str, text: str) -> list[str]:
        """Like rest(), only the texts."""
        return [m.get("text", "") for m in self.rest(sender_id, text)]

    def callback_send(self, sender_id: str, text: str) -> None:
        """Send one message through Rasa's callback channel (replies arrive at self.callback)."""
        self._request(
            "POST",
            f"{self.rasa_url}/webhooks/callback/webhook",
            {"sender": sender_id, "message": text},
            self.rest_headers(),
        )

    def tracker(self, sender_id: str) -> dict[str, Any]:
        """The conversation's tracker, through the token-protected HTTP API."""
        quoted = urllib.parse.quote(sender_id, safe="")
        return self._request("GET", f"{self.rasa_url}/conversations/{quoted}/tracker", headers=self.api_headers())

    def conversation_ref(self, sender_id: str) -> str:
        """The opaque reference the console shows for a conversation (bot/console/refs.py)."""
        client = redis.Redis.from_url(self.redis_url)
        key = client.get(REF_KEY)
        if key is None:
            client.set(REF_KEY, secrets.token_hex(32), nx=True)
            key = client.get(REF_KEY)
        client.close()
        return conversation_ref(key, sender_id)

    def restart_rasa(self) -> None:
        """Stop the Rasa server and start it again on the same port and Redis."""
        self.stack.stop_rasa()
        self.stack.start_rasa()


@pytest.fixture(scope="session")
def trained_model() -> Path:
    """Train once per test run (Rasa's fingerprint skips training when nothing changed)."""
    return ensure_model()


@pytest.fixture(scope="session")
def stack(
    request: pytest.FixtureRequest,
    trained_model: Path,
    redis_server: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[StackHandle]:
    """The running stack, shared by the whole session."""
    redis_url = f"{redis_server}/{STACK_DB}"
    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    client.close()
    callback = CallbackCapture()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TWILIO_", "TELEGRAM_"))}
    env.update(
        {
            "REDIS_URL": redis_url,
            "RASA_PORT": free_port_str(),
            "ACTION_PORT": free_port_str(),
            "CONSOLE_PORT": free_port_str(),
            "RASA_TOKEN": TEST_SECRETS["RASA_TOKEN"],
            "CONSOLE_SECRET": TEST_SECRETS["CONSOLE_SECRET"],
            "REST_TOKEN": TEST_SECRETS["REST_TOKEN"],
            "ACTION_TOKEN": TEST_SECRETS["ACTION_TOKEN"],
            "PIMMS_DATA_DIR": str(tmp_path_factory.mktemp("var")),
            "CALLBACK_URL": callback.url,
            "SMS_BURST_WINDOW": "1",
            "HANDOFF_IDLE_SWEEP": "2",  # the inactivity sweeper passes often (tests/integration/test_idle_stack.py)
        }
    )
    env["PUBLIC_BASE_URL"] = f"http://127.0.0.1:{env['RASA_PORT']}"
    clock, faked_time = stack_clock()
    env.update(faked_time)  # every stack process lives at the pinned moment (tests/integration/stack_clock.py)
    fake_twilio = _optional_fixture(request, "fake_twilio_server")
    fake_telegram = _optional_fixture(request, "fake_telegram_server")
    if fake_twilio is not None:
        env.update(
            {
                "TWILIO_ACCOUNT_SID": "ACtest00000000000000000000000000",
                "TWILIO_AUTH_TOKEN": TEST_SECRETS["TWILIO_AUTH_TOKEN"],
                "TWILIO_FROM_NUMBER": "+33700000000",
                "TWILIO_API_BASE_URL": fake_twilio.base_url,
                "TWILIO_WHATSAPP_FROM": WHATSAPP_FROM,
                **WHATSAPP_CONTENT_SIDS,
            }
        )
        fake_twilio.clock = clock.epoch  # the fake keeps WhatsApp's 24-hour window on the stack's clock
    if fake_telegram is not None:
        env.update(
            {
                "TELEGRAM_BOT_TOKEN": "123456:TEST-token",
                "TELEGRAM_WEBHOOK_SECRET": TEST_SECRETS["TELEGRAM_WEBHOOK_SECRET"],
                "TELEGRAM_API_BASE_URL": fake_telegram.base_url,
                "TELEGRAM_MEDIATOR_CHAT_ID": MEDIATOR_GROUP,
            }
        )
    logs: list[str] = []
    stack_ = Stack(env=env, model=trained_model, write=logs.append, clock=clock.epoch)
    try:
        stack_.start()
    except Exception:
        stack_.stop()
        print("\n".join(logs[-80:]))
        raise
    handle = StackHandle(stack_, callback, clock)
    handle.logs = logs  # every line every process printed (tests/integration/test_logs_stack.py reads them)
    handle.fake_twilio, handle.fake_telegram = fake_twilio, fake_telegram
    yield handle
    stack_.stop()
    callback.close()
    if request.session.testsfailed:
        log_file = Path(env["PIMMS_DATA_DIR"]) / "stack.log"
        log_file.write_text("\n".join(logs), encoding="utf-8")
        print(f"\nstack logs: {log_file}")
