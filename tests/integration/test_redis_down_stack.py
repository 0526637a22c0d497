"""Redis stops answering: messages are kept in the local spool (across a Rasa restart), the resident is
told once that the service is slowed down, and everything is processed in order when Redis is back."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis

from bot.inbound.messages import SLOWED_DOWN
from bot.ops.redis_server import EmbeddedRedis
from bot.ops.stack import Stack
from bot.security.rasa_auth import BearerToken
from tests.integration.conftest import TEST_SECRETS
from tests.integration.outage_stack import outage_stack
from tests.integration.stack_client import sms_webhook, telegram_webhook
from tests.waiting import wait_until


def api() -> dict[str, str]:
    """A fresh JWT for Rasa's HTTP API (no token in the URL)."""
    return BearerToken(TEST_SECRETS["RASA_TOKEN"]).headers()


pytestmark = pytest.mark.stack
SLOW = 90  # seconds: Rasa restarts and loads its model in the middle of the test


@pytest.fixture
def small_stack(
    trained_model: Path, tmp_path: Path, fake_twilio: Any, fake_telegram: Any
) -> Iterator[tuple[Stack, EmbeddedRedis]]:
    """Its own Redis (persistent, so it can stop and come back) and Rasa with both channels."""
    with outage_stack(trained_model, tmp_path, fake_twilio, fake_telegram) as (stack, server, logs):
        try:
            yield stack, server
        finally:
            print("\n".join(logs[-60:]))


def sms(stack: Stack, phone: str, body: str) -> httpx.Response:
    return sms_webhook(f"http://127.0.0.1:{stack.env['RASA_PORT']}", stack.env, phone, body, timeout=30)


def telegram(stack: Stack, chat_id: int, text: str) -> httpx.Response:
    return telegram_webhook(f"http://127.0.0.1:{stack.env['RASA_PORT']}", stack.env, chat_id, text, timeout=30)


@pytest.mark.timeout(420)
def test_messages_sent_while_redis_is_down_are_kept_and_answered_in_order(
    small_stack: tuple[Stack, EmbeddedRedis], fake_twilio: Any, fake_telegram: Any
) -> None:
    stack, server = small_stack
    phone = "+33612348001"
    server.stop()  # Redis is gone

    first = sms(stack, phone, "bonjour")
    assert first.status_code == 200 and SLOWED_DOWN in first.text and "<Message>" in first.text
    second = sms(stack, phone, "horaires lyon 8")
    assert second.status_code == 200 and "<Message>" not in second.text  # told once
    tg = telegram(stack, 5151, "bonjour")
    assert tg.status_code == 200 and tg.json() == {"method": "sendMessage", "chat_id": 5151, "text": SLOWED_DOWN}
    spool = Path(stack.env["PIMMS_DATA_DIR"]) / "spool"
    assert (spool / "sms.jsonl").read_text().count("\n") == 2

    stack.stop_rasa()  # the spool survives a restart
    server.start()  # same port, same data
    stack.start_rasa()

    wait_until(
        lambda: fake_twilio.bodies_to(phone) and [m for m in fake_telegram.messages if m["chat_id"] == 5151], SLOW
    )
    client = redis.Redis.from_url(stack.env["REDIS_URL"])
    rasa = f"http://127.0.0.1:{stack.env['RASA_PORT']}"

    def user_turns(sender: str) -> list[str]:
        tracker = httpx.get(f"{rasa}/conversations/{sender}/tracker", headers=api(), timeout=30).json()
        return [e["text"] for e in tracker["events"] if e["event"] == "user"]

    assert wait_until(lambda: user_turns("sms-33612348001"), SLOW) == ["bonjour horaires lyon 8"]  # in order, one burst
    assert wait_until(lambda: user_turns("tg-5151"), SLOW) == ["bonjour"]
    assert not any(p.stat().st_size for p in spool.glob("*.jsonl"))
    assert client.ping()
