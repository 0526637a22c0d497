"""The WhatsApp connector (Sanic on 127.0.0.1, real Redis, fake Twilio, an echoing Rasa): signed webhooks with
``whatsapp:`` addresses, MessageSid retries, the window opened by each message, files noted and answered,
numbered replies mapped back, STOP in WhatsApp words, delivery reports (``read`` is delivered)."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import redis.asyncio as aioredis

from bot.clock import system_clock
from bot.optout import OptOutStore
from bot.outbound.status import SmsStatusIndex
from bot.settings import TwilioSettings
from bot.whatsapp import messages
from bot.whatsapp.window import ServiceWindow
from channels.whatsapp import WhatsAppInput
from tests.fakes.sanic_harness import TWILIO_SID, TWILIO_TOKEN, Echo, credentials, new_sid, serve, sign
from tests.fakes.twilio_server import FakeTwilio

PUBLIC = "https://pimms.example.org"
FROM = "whatsapp:+14155238886"
PHONE, ADDRESS, SENDER = "+33612345678", "whatsapp:+33612345678", "wa-33612345678"


def channel(redis_url: str, twilio_url: str) -> WhatsAppInput:
    twilio = TwilioSettings(TWILIO_SID, TWILIO_TOKEN, api_base_url=twilio_url, whatsapp_from=FROM)
    made = WhatsAppInput.from_credentials(
        credentials(
            twilio=twilio,
            public_base_url=PUBLIC,
            redis_url=redis_url,
            sms_burst_window=0.2,
            privacy_notice=False,
        )
    )
    assert isinstance(made, WhatsAppInput)
    return made


def form(body: str, sid: str = "", sender: str = ADDRESS, **extra: str) -> dict[str, str]:
    return {"MessageSid": sid or new_sid(), "AccountSid": TWILIO_SID, "From": sender, "To": FROM, "Body": body,
            "NumMedia": "0", **extra}  # fmt: skip


async def post(
    base: str, data: dict[str, Any], path: str = "/webhooks/whatsapp/webhook", fake: FakeTwilio | None = None
) -> httpx.Response:
    """Twilio's signed POST (``fake``: the fake Twilio learns that the person wrote, as Twilio would)."""
    if fake is not None:
        fake.whatsapp_inbound[data["From"]] = fake.clock()
    signature = sign(PUBLIC + path, data, token=TWILIO_TOKEN)
    async with httpx.AsyncClient() as client:
        return await client.post(base + path, data=data, headers={"X-Twilio-Signature": signature}, timeout=10)


async def replies(fake: FakeTwilio, count: int) -> list[str]:
    for _ in range(100):
        if len(fake.bodies_to(ADDRESS)) >= count:
            break
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.3)
    return fake.bodies_to(ADDRESS)


async def test_a_signed_message_is_answered_by_whatsapp_once_and_opens_the_window(
    redis_url: str, fake_twilio: FakeTwilio
) -> None:
    rasa, wa = Echo(), channel(redis_url, fake_twilio.base_url)
    async with serve(wa, rasa) as base:
        sid = new_sid()
        assert (await post(base, form("bonjour", sid), fake=fake_twilio)).status_code == 200
        assert (await post(base, form("bonjour", sid), fake=fake_twilio)).status_code == 200  # Twilio's retry
        assert await replies(fake_twilio, 1) == ["echo: bonjour"]
    assert [m.sender_id for m in rasa.received] == [SENDER] and rasa.received[0].input_channel == "whatsapp"
    assert all(m["From"] == FROM for m in fake_twilio.sent())
    client = aioredis.Redis.from_url(redis_url)
    assert await ServiceWindow(client, system_clock()).is_open(SENDER)
    await client.close()


async def test_unsigned_or_non_whatsapp_senders_are_refused(redis_url: str, fake_twilio: FakeTwilio) -> None:
    rasa, wa = Echo(), channel(redis_url, fake_twilio.base_url)
    async with serve(wa, rasa) as base:
        async with httpx.AsyncClient() as client:
            unsigned = await client.post(base + "/webhooks/whatsapp/webhook", data=form("bonjour"), timeout=10)
        assert unsigned.status_code == 403
        sms_number = await post(base, form("bonjour", sender=PHONE), fake=fake_twilio)
        assert sms_number.status_code == 200  # acknowledged, not a WhatsApp sender: ignored
        await asyncio.sleep(0.5)
    assert rasa.received == [] and fake_twilio.sent() == []


async def test_a_voice_note_is_answered_honestly_and_numbered_replies_map_to_buttons(
    redis_url: str, fake_twilio: FakeTwilio
) -> None:
    rasa, wa = Echo(), channel(redis_url, fake_twilio.base_url)
    async with serve(wa, rasa) as base:
        voice = form("", NumMedia="1", MediaContentType0="audio/ogg", MediaUrl0="https://api.twilio.com/x")
        await post(base, voice, fake=fake_twilio)
        assert await replies(fake_twilio, 1) == [messages.MEDIA]
        await post(base, form("menu"), fake=fake_twilio)
        assert (await replies(fake_twilio, 2))[-1] == "Confirmez-vous ?\n1. Oui\n2. Non"
        await post(base, form("1"), fake=fake_twilio)
        await replies(fake_twilio, 3)
    assert [m.text for m in rasa.received] == ["menu", "/affirm"]  # the file was never a turn for Rasa


async def test_stop_in_whatsapp_words_then_nothing_is_sent(redis_url: str, fake_twilio: FakeTwilio) -> None:
    rasa, wa = Echo(), channel(redis_url, fake_twilio.base_url)
    async with serve(wa, rasa) as base:
        await post(base, form("STOP"), fake=fake_twilio)
        assert await replies(fake_twilio, 1) == [messages.STOPPED]
        client = aioredis.Redis.from_url(redis_url)
        assert await OptOutStore(client).is_opted_out(SENDER)
        await client.close()
        assert await wa.router().send(SENDER, "Rappel") is False  # nothing proactive after STOP
    assert fake_twilio.bodies_to(ADDRESS) == [messages.STOPPED]


async def test_delivery_reports_are_applied_and_read_counts_as_delivered(
    redis_url: str, fake_twilio: FakeTwilio
) -> None:
    rasa, wa = Echo(), channel(redis_url, fake_twilio.base_url)
    async with serve(wa, rasa) as base:
        await post(base, form("bonjour"), fake=fake_twilio)
        await replies(fake_twilio, 1)
        [sent] = fake_twilio.sent()
        assert sent["StatusCallback"] == PUBLIC + "/webhooks/whatsapp/status"
        report = {"MessageSid": sent["sid"], "MessageStatus": "read", "AccountSid": TWILIO_SID, "To": ADDRESS}
        assert (await post(base, report, "/webhooks/whatsapp/status")).status_code == 204
        client = aioredis.Redis.from_url(redis_url)
        part = await SmsStatusIndex(client).get(sent["sid"])
        await client.close()
    assert part is not None and part.sender_id == SENDER and part.state == "delivered"
