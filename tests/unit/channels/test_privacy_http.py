"""Privacy over our channel blueprints on a real Sanic server (echo instead of Rasa, real Redis, fake providers)."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import httpx
import redis.asyncio as aioredis

from bot.privacy import messages
from tests.fakes.sanic_harness import Echo, post_tg, serve, sms_resident, tg_channel, tg_update

PHONE, SENDER = "+33612345678", "sms-33612345678"


async def settled(fake: Any, before: int, quiet: float = 0.6, timeout: float = 10) -> list[dict[str, Any]]:
    """The messages sent after the first ``before`` ones, once no new one came for ``quiet`` seconds."""
    await asyncio.to_thread(fake.wait_for, before + 1, timeout)
    count = len(fake.messages)
    while True:
        await asyncio.sleep(quiet)
        if len(fake.messages) == count:
            return list(fake.messages[before:])
        count = len(fake.messages)


async def keys_naming(redis_url: str, sender_id: str) -> list[str]:
    client = aioredis.Redis.from_url(redis_url)
    try:
        return sorted([k.decode() async for k in client.scan_iter(count=1000) if sender_id in k.decode()])
    finally:
        await client.close()


async def test_sms_first_contact_notice_is_sent_once(redis_url: str, fake_twilio: Any) -> None:
    echo = Echo()
    async with sms_resident(redis_url, fake_twilio.base_url, echo, burst=0.05, notice=True) as sms:
        await sms("bonjour")
        await asyncio.to_thread(fake_twilio.wait_for, 2)
        await sms("merci")
        await asyncio.to_thread(fake_twilio.wait_for, 3)
        await asyncio.sleep(0.3)
    assert fake_twilio.bodies_to(PHONE) == ["echo: bonjour", messages.first_contact_notice(90), "echo: merci"]


def code_in(question: str) -> str:
    """The one-time code the confirmation question gave (only the real phone receives it)."""
    found = re.search(r"EFFACER (\d{4})", question)
    assert found, question
    return found.group(1)


async def test_sms_effacer_needs_the_code_then_erases_and_leaves_no_key(redis_url: str, fake_twilio: Any) -> None:
    echo = Echo()
    async with sms_resident(redis_url, fake_twilio.base_url, echo, burst=0.05, notice=True) as sms:
        await sms("bonjour")
        await asyncio.to_thread(fake_twilio.wait_for, 2)
        await sms("EFFACER")
        question = (await asyncio.to_thread(fake_twilio.wait_for, 3))[-1]["Body"]
        await asyncio.sleep(0.3)
        assert len(fake_twilio.messages) == 3  # the confirmation in one SMS
        await sms("1")  # what a forged sender would send blind: no erasure, the code is asked again
        reminder = (await settled(fake_twilio, 3))[0]["Body"]
        assert await keys_naming(redis_url, SENDER) != []
        await sms(f"EFFACER {code_in(question)}")
        done = (await settled(fake_twilio, 4))[0]["Body"]
        await asyncio.sleep(0.3)
    assert question.startswith("Voulez-vous que j'efface") and "\n1." not in question  # no numbered choice
    assert reminder == messages.code_reminder(code_in(question))
    assert done.startswith("C'est fait")
    assert [m.text for m in echo.received] == ["bonjour"]
    assert await keys_naming(redis_url, SENDER) == []


async def test_sms_erasure_works_after_stop_and_keeps_the_opt_out(redis_url: str, fake_twilio: Any) -> None:
    echo = Echo()
    async with sms_resident(redis_url, fake_twilio.base_url, echo, burst=0.05) as sms:
        await sms("STOP")
        await settled(fake_twilio, 0)
        await sms("effacer mes données")
        question = (await settled(fake_twilio, 1))[0]["Body"]
        await sms(f"OUI {code_in(question)}")
        done = " ".join(m["Body"] for m in await settled(fake_twilio, 2))
    assert "STOP" in done and echo.received == []
    assert await keys_naming(redis_url, SENDER) == [f"pimms:optout:{SENDER}"]


async def test_telegram_effacer_and_button_erase(redis_url: str, fake_telegram: Any) -> None:
    echo = Echo()
    channel = tg_channel(redis_url, fake_telegram.base_url, notice=True)
    async with serve(channel, echo) as base, httpx.AsyncClient() as client:
        await post_tg(client, base, tg_update(7001, "bonjour", chat_id=77))
        await asyncio.to_thread(fake_telegram.wait_for, 2)
        await post_tg(client, base, tg_update(7002, "Effacer", chat_id=77))
        question = (await asyncio.to_thread(fake_telegram.wait_for, 3))[-1]
        tap = {
            "update_id": 7003,
            "callback_query": {
                "id": "cbq-privacy",
                "chat_instance": "ci",
                "data": f"EFFACER {code_in(question['text'])}",
                "from": {"id": 77, "is_bot": False, "first_name": "Ana"},
                "message": {"message_id": 9, "date": 1764230400, "chat": {"id": 77, "type": "private"}, "text": "?"},
            },
        }
        await post_tg(client, base, tap)
        done = (await settled(fake_telegram, 3))[0]
    rows = question["reply_markup"]["inline_keyboard"]
    assert [b["callback_data"] for row in rows for b in row] == [f"EFFACER {code_in(question['text'])}", "NON"]
    assert done["text"].startswith("C'est fait")
    assert [m.text for m in echo.received] == ["bonjour"]
    assert await keys_naming(redis_url, "tg-77") == []
