"""Outbound retries through the real twilio / python-telegram-bot clients against the fake providers."""

from __future__ import annotations

import redis.asyncio as aioredis

from bot.outbound import build_outbound
from bot.outbound.dead_letters import DeadLetters
from bot.outbound.delivery import Status
from bot.outbound.retry import RetryPolicy, with_retries
from tests.unit.bot.test_outbound import make_settings


async def test_twilio_500_then_recovery_delivers_each_part_exactly_once(redis_url: str, fake_twilio, fake_telegram):
    client = aioredis.Redis.from_url(redis_url)
    router = build_outbound(make_settings(fake_twilio.base_url, fake_telegram.base_url), client)
    fake_twilio.fail_next = 2
    result = await router.deliver("sms-33612345678", "Bonjour, votre dossier est bien reçu.")
    assert result.status == Status.SENT
    assert fake_twilio.bodies_to("+33612345678") == ["Bonjour, votre dossier est bien recu."]
    assert [c.get("failed") for c in fake_twilio.calls] == [500, 500, None]
    assert await DeadLetters(client).count() == 0
    await client.close()


async def test_telegram_429_waits_retry_after_then_delivers_once(redis_url: str, fake_twilio, fake_telegram):
    client = aioredis.Redis.from_url(redis_url)
    router = build_outbound(make_settings(fake_twilio.base_url, fake_telegram.base_url), client)
    fake_telegram.fail_next, fake_telegram.fail_status, fake_telegram.retry_after = 1, 429, 1
    result = await router.deliver("tg-42", "Bonjour")
    assert result.ok and [m["text"] for m in fake_telegram.messages] == ["Bonjour"]
    fake_telegram.clear()
    fake_telegram.fail_next, fake_telegram.fail_status = 1, 502
    assert (await router.deliver("tg-42", "Encore")).ok
    assert [m["text"] for m in fake_telegram.messages] == ["Encore"]
    await client.close()


async def test_what_finally_fails_is_kept_in_the_dead_letters(redis_url: str, fake_twilio, fake_telegram):
    client = aioredis.Redis.from_url(redis_url)
    router = build_outbound(make_settings(fake_twilio.base_url, fake_telegram.base_url), client)
    fake_twilio.fail_next = 10
    result = await router.deliver("sms-33612345678", "Votre rendez-vous est confirmé.")
    assert result.status == Status.PROVIDER_ERROR and fake_twilio.messages == []
    assert len(fake_twilio.calls) == 4  # bounded
    letters = DeadLetters(client)
    [letter] = await letters.list()
    assert (letter.sender_id, letter.channel) == ("sms-33612345678", "sms")
    assert letter.text == "Votre rendez-vous est confirmé."
    assert "Twilio 500" in letter.detail and 0 < await client.ttl("pimms:outbound:dead") <= 30 * 24 * 3600
    assert await letters.erase("sms-33612345678") == 1 and await letters.count() == 0
    await client.close()


async def test_a_refusal_is_never_retried_and_a_long_flood_wait_is_not_awaited() -> None:
    from telegram.error import Forbidden, RetryAfter

    calls: list[str] = []
    waits: list[float] = []

    async def sleep(delay: float) -> None:
        waits.append(delay)

    async def blocked() -> None:
        calls.append("blocked")
        raise Forbidden("bot was blocked by the user")

    async def flood() -> None:
        calls.append("flood")
        raise RetryAfter(3600)

    policy = RetryPolicy(attempts=4, base=0.01)
    for call in (blocked, flood):
        try:
            await with_retries(call, policy, "test", sleep)
        except Exception:
            pass
    assert calls == ["blocked", "flood"] and waits == []
