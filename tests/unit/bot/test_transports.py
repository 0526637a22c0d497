"""The router's transport table: one transport per registry name; SMS shaping, buttons and status inside it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import redis.asyncio as aioredis

from bot.outbound import OutboundRouter, SmsTransport, TelegramTransport, TwilioRestSender, build_outbound
from bot.outbound.delivery import DeliveryResult, Refusal, Status
from bot.outbound.status import SmsStatusIndex, SmsStatusReports
from bot.outbound.transports import Outgoing, Report
from bot.sms import ButtonMemory
from tests.fakes.twilio_server import AUTH_TOKEN
from tests.unit.bot.test_outbound import make_settings

SID = "ACtest00000000000000000000000000"
BUTTONS = [{"title": "Oui", "payload": "/affirm"}, {"title": "Non", "payload": "/deny"}]


class Recording:
    """A transport of our own: what a new channel's transport has to offer, and nothing more."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str, tuple[str, ...]]] = []

    def prepare(self, text: str, buttons: list[dict[str, Any]] | None) -> Outgoing | None:
        return Outgoing(text, (text,), buttons) if text.strip() else None

    async def send(
        self, sender_id: str, address: str, outgoing: Outgoing, delivery_id: str, sent: list[str]
    ) -> DeliveryResult:
        self.sent.append((sender_id, address, outgoing.parts))
        sent.append(f"rec-{len(self.sent)}")
        return DeliveryResult.sent(sent)

    async def early_reports(self, provider_ids: Sequence[str]) -> Sequence[Report]:
        return []


async def test_the_table_decides_which_channels_are_configured(redis_url: str) -> None:
    recording = Recording()
    router = OutboundRouter(transports={"telegram": recording})
    result = await router.deliver("tg-42", "Bonjour")
    assert result.status == Status.SENT and result.provider_ids == ("rec-1",)
    assert recording.sent == [("tg-42", "42", ("Bonjour",))]  # the registry's address of the sender id
    refused = await router.deliver("sms-33612345678", "Bonjour")
    assert refused.status == Status.REFUSED and refused.reason == Refusal.NO_CHANNEL.value
    assert (await router.deliver("tg-42", "  ")).reason == Refusal.EMPTY.value
    assert await router.early_reports("tg-42", ["rec-1"]) == []
    assert await router.early_reports("web-1", ["x"]) == []  # no transport, no report


async def test_build_outbound_fills_the_table_from_the_settings(redis_url: str, fake_twilio, fake_telegram) -> None:
    client = aioredis.Redis.from_url(redis_url)
    router = build_outbound(make_settings(fake_twilio.base_url, fake_telegram.base_url), client)
    assert set(router.transports) == {"sms", "telegram"}  # no CALLBACK_URL: no callback transport
    assert isinstance(router.transports["sms"], SmsTransport)
    assert isinstance(router.transports["telegram"], TelegramTransport)
    await client.close()


async def test_sms_transport_numbers_buttons_and_remembers_them(redis_url: str, fake_twilio) -> None:
    client = aioredis.Redis.from_url(redis_url)
    sender = TwilioRestSender(SID, AUTH_TOKEN, "+33700000000", api_base_url=fake_twilio.base_url)
    memory = ButtonMemory(client)
    transport = SmsTransport(sender, buttons=memory)
    outgoing = transport.prepare("Confirmez-vous ?", BUTTONS)
    assert outgoing is not None and outgoing.parts == ("Confirmez-vous ?\n1. Oui\n2. Non",) and outgoing.units == 1
    assert transport.prepare("   ", None) is None
    router = OutboundRouter(transports={"sms": transport})
    result = await router.deliver("sms-33612345678", "Confirmez-vous ?", BUTTONS)
    assert result.status == Status.SENT and result.parts == 1 and result.encoding
    assert fake_twilio.bodies_to("+33612345678") == ["Confirmez-vous ?\n1. Oui\n2. Non"]
    assert await memory.resolve("sms-33612345678", "1") == "/affirm"  # the reply "1" maps back
    await sender.close()
    await client.close()


async def test_an_early_status_report_reaches_the_caller_through_the_transport(redis_url: str, fake_twilio) -> None:
    client = aioredis.Redis.from_url(redis_url)
    sender = TwilioRestSender(SID, AUTH_TOKEN, "+33700000000", api_base_url=fake_twilio.base_url)
    router = OutboundRouter(transports={"sms": SmsTransport(sender, status=SmsStatusIndex(client))})
    result = await router.deliver("sms-33612345678", "Bonjour", delivery_id="d1")
    (sid,) = result.provider_ids
    assert await router.early_reports("sms-33612345678", result.provider_ids) == []  # nothing reported yet
    await SmsStatusReports(client).apply(sid, "delivered")  # Twilio's callback beats the console
    (report,) = await router.early_reports("sms-33612345678", result.provider_ids)
    assert report.applied_to(result).status == Status.DELIVERED
    await sender.close()
    await client.close()


async def test_the_whatsapp_shape_is_the_sms_transport_with_twilio_address_form(redis_url: str, fake_twilio) -> None:
    sender = TwilioRestSender(SID, AUTH_TOKEN, "whatsapp:+14155238886", api_base_url=fake_twilio.base_url)
    transport = SmsTransport(sender, address_prefix="whatsapp:", what="whatsapp")
    outgoing = transport.prepare("Bonjour", None)
    assert outgoing is not None
    result = await transport.send("wa-33612345678", "+33612345678", outgoing, "", [])
    assert result.status == Status.SENT and fake_twilio.sent()[-1]["To"] == "whatsapp:+33612345678"
    await sender.close()
