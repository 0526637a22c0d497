"""Mediators see the messages that could not be delivered: list and count, numbers masked, login required."""

from __future__ import annotations

import asyncio
import time

import httpx
import redis.asyncio as aioredis

from bot.outbound.dead_letters import DeadLetters
from tests.unit.console.conftest import Console


def add_letters(redis_url: str) -> None:
    async def go() -> None:
        client = aioredis.Redis.from_url(redis_url)
        letters = DeadLetters(client)
        # A minute apart, just now: the console keeps a letter 30 days after its failure, on its own clock.
        failed = time.time() - 120
        await letters.add("sms-33612345678", "sms", "Votre rendez-vous <b>demain</b>", "Twilio 500 code 20500", failed)
        await letters.add("tg-4242", "telegram", "Bonjour", "Telegram NetworkError: Bad Gateway", failed + 60)
        await client.close()

    asyncio.run(go())


def test_dead_letters_page_lists_them_with_their_count(console: Console) -> None:
    add_letters(console.redis_url)
    with httpx.Client(base_url=console.url, timeout=10) as anon:
        assert anon.get("/non-remis").status_code == 303
        assert anon.get("/api/non-remis").status_code == 401
    alice = console.login()
    page = alice.get("/non-remis")
    assert page.status_code == 200
    assert 'id="dead-count" class="count">2<' in page.text
    assert "Twilio 500 code 20500" in page.text and "Telegram NetworkError" in page.text
    assert "&lt;b&gt;demain&lt;/b&gt;" in page.text  # escaped
    assert "33612345678" not in page.text and "612345678" not in page.text
    assert 'href="/non-remis"' in alice.get("/").text
    data = alice.get("/api/non-remis").json()
    assert data["count"] == 2 and [row["channel"] for row in data["letters"]] == ["Telegram", "SMS"]
