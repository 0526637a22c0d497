"""A stack with its own persistent Redis, which a test can stop, pause (SIGSTOP) and bring back."""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bot.ops.processes import free_port_str
from bot.ops.redis_server import EmbeddedRedis
from bot.ops.stack import Stack
from tests.integration.conftest import TEST_SECRETS


@contextlib.contextmanager
def outage_stack(
    trained_model: Path, tmp_path: Path, fake_twilio: Any, fake_telegram: Any, **env_extra: str
) -> Iterator[tuple[Stack, EmbeddedRedis, list[str]]]:
    """Rasa and the action server with both channels on their own Redis (no console, no worker)."""
    server = EmbeddedRedis(data_dir=tmp_path / "redis", persist=True)
    url = server.start()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TWILIO_", "TELEGRAM_", "REDIS_URL"))}
    env.update(
        REDIS_URL=url,
        RASA_PORT=free_port_str(),
        ACTION_PORT=free_port_str(),
        RASA_TOKEN=TEST_SECRETS["RASA_TOKEN"],
        CONSOLE_SECRET=TEST_SECRETS["CONSOLE_SECRET"],
        PIMMS_DATA_DIR=str(tmp_path / "var"),
        SMS_BURST_WINDOW="1",
        CALLBACK_URL="",
        TWILIO_ACCOUNT_SID=fake_twilio.account_sid,
        TWILIO_AUTH_TOKEN=fake_twilio.auth_token,
        TWILIO_FROM_NUMBER="+33700000000",
        TWILIO_API_BASE_URL=fake_twilio.base_url,
        TELEGRAM_BOT_TOKEN="123456:TEST-token",
        TELEGRAM_WEBHOOK_SECRET=TEST_SECRETS["TELEGRAM_WEBHOOK_SECRET"],
        TELEGRAM_API_BASE_URL=fake_telegram.base_url,
        **env_extra,
    )
    env["PUBLIC_BASE_URL"] = f"http://127.0.0.1:{env['RASA_PORT']}"
    logs: list[str] = []
    stack = Stack(env=env, model=trained_model, write=logs.append, with_console=False, with_worker=False)
    try:
        stack.prepare()
        stack.start_actions()
        stack.start_rasa()
        yield stack, server, logs
    finally:
        if server.process is not None:
            server.process.send_signal(signal.SIGCONT)  # a test may have left it paused
        stack.stop()
        server.stop()
