"""Outbound router through the real twilio and python-telegram-bot clients against the fakes."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import redis.asyncio as aioredis

from bot.optout import OptOutStore
from bot.outbound import DeliveryError, OutboundRouter, UndeliverableError, build_outbound
from bot.settings import Settings
from tests.fakes.twilio_server import AUTH_TOKEN


def make_settings(twilio_url: str, telegram_url: str, cap: int = 30) -> Settings:
    return Settings.from_env(
        {
            "TWILIO_ACCOUNT_SID": "ACtest00000000000000000000000000",
            "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
            "TWILIO_FROM_NUMBER": "+33700000000",
            "TWILIO_API_BASE_URL": twilio_url,
            "TELEGRAM_BOT_TOKEN": "123456:TEST-token",
            "TELEGRAM_WEBHOOK_SECRET": "test-secret",
            "TELEGRAM_API_BASE_URL": telegram_url,
            "DAILY_OUTBOUND_CAP": str(cap),
            "OUTBOUND_RETRY_BASE_SECONDS": "0.01",
        }
    )


@pytest.fixture
def callback_server() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    received: list[dict[str, Any]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            return

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/bot", received
    httpd.shutdown()


async def test_routes_by_prefix(redis_url: str, fake_twilio, fake_telegram, callback_server) -> None:
    url, received = callback_server
    client = aioredis.Redis.from_url(redis_url)
    settings = replace(make_settings(fake_twilio.base_url, fake_telegram.base_url), callback_url=url)
    router = build_outbound(settings, client)
    buttons = [{"title": "Oui", "payload": "/affirm"}, {"title": "Non", "payload": "/deny"}]
    assert await router.send("sms-33612345678", "Votre rendez-vous est confirmé… À bientôt !")
    assert await router.send("sms-33612345678", "Confirmez-vous ?", buttons)
    assert await router.send("tg-42", "Bonjour ’test’", buttons)
    assert await router.send("rest-user", "Bonjour", buttons)
    assert fake_twilio.bodies_to("+33612345678") == [
        "Votre rendez-vous est confirmé... A bientot !",
        "Confirmez-vous ?\n1. Oui\n2. Non",
    ]
    assert fake_twilio.messages[0]["From"] == "+33700000000"
    assert fake_telegram.messages[0]["chat_id"] == 42
    assert fake_telegram.messages[0]["text"] == "Bonjour ’test’"
    assert len(fake_telegram.messages[0]["reply_markup"]["inline_keyboard"]) == 2
    assert received == [{"recipient_id": "rest-user", "text": "Bonjour", "buttons": buttons}]
    await client.close()


async def test_opt_out_and_daily_cap_suppress(redis_url: str, fake_twilio, fake_telegram) -> None:
    client = aioredis.Redis.from_url(redis_url)
    router = build_outbound(make_settings(fake_twilio.base_url, fake_telegram.base_url, cap=2), client)
    await OptOutStore(client).opt_out("sms-33611111111")
    assert await router.send("sms-33611111111", "Rappel") is False
    assert await router.send("sms-33611111111", "Confirmation", force=True) is True
    assert [await router.send("tg-7", f"m{i}") for i in range(3)] == [True, True, False]
    assert [m["Body"] for m in fake_twilio.messages] == ["Confirmation"]
    assert len(fake_telegram.messages) == 2
    await client.close()


async def test_undeliverable_and_delivery_errors(redis_url: str, fake_twilio, fake_telegram) -> None:
    client = aioredis.Redis.from_url(redis_url)
    router = build_outbound(make_settings(fake_twilio.base_url, fake_telegram.base_url), client)
    with pytest.raises(UndeliverableError):
        await router.send("rest-user", "Bonjour")
    with pytest.raises(UndeliverableError):
        await OutboundRouter().send("sms-33612345678", "Bonjour")
    fake_twilio.fail_next = 4  # every attempt fails
    with pytest.raises(DeliveryError):
        await router.send("sms-33612345678", "Bonjour")
    fake_telegram.fail_next = 4
    with pytest.raises(DeliveryError):
        await router.send("tg-42", "Bonjour")
    await client.close()


def test_telegram_setup_registers_the_webhook(fake_telegram, monkeypatch, capsys) -> None:
    from bot.ops.telegram_setup import main

    env = {
        "TELEGRAM_BOT_TOKEN": "123456:TEST-token",
        "TELEGRAM_WEBHOOK_SECRET": "test-secret",
        "TELEGRAM_API_BASE_URL": fake_telegram.base_url,
        "PUBLIC_BASE_URL": "https://pimms.example.org",
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert main([]) == 0
    assert fake_telegram.webhook == {
        "url": "https://pimms.example.org/webhooks/telegram/webhook",
        "secret_token": "test-secret",
    }
    assert "https://pimms.example.org/webhooks/telegram/webhook" in capsys.readouterr().out
    monkeypatch.delenv("PUBLIC_BASE_URL")
    assert main([]) == 2
