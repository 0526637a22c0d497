"""WhatsApp through the outbound router (real twilio client, fake Twilio, real Redis): free text within the
window, templates after it, refusals that say why; opt-out before anything."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime

import pytest
import redis.asyncio as aioredis

from bot.clock import PARIS, fixed_clock
from bot.optout import OptOutStore
from bot.outbound import build_outbound
from bot.outbound.delivery import Refusal, Status
from bot.outbound.proactive import Proactive, TemplateMessage
from bot.settings import Settings
from bot.sms import ButtonMemory
from bot.whatsapp.window import ServiceWindow
from tests.fakes.twilio_server import AUTH_TOKEN, FakeTwilio

SENDER, ADDRESS = "wa-33612345678", "whatsapp:+33612345678"
REMINDER_SID = "HX" + "1" * 32
REMINDER = Proactive(
    "Rappel PIMMS : rendez-vous demain jeudi 10 décembre à 9h30, 5 place de l'Exemple.",
    TemplateMessage(
        "booking_reminder", {"when": "demain jeudi 10 décembre à 9h30", "address": "5 place", "papers": "x"}
    ),
)


def settings(fake: FakeTwilio, **content: str) -> Settings:
    env = {
        "TWILIO_ACCOUNT_SID": fake.account_sid,
        "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "TWILIO_WHATSAPP_FROM": "whatsapp:+14155238886",
        "TWILIO_API_BASE_URL": fake.base_url,
        "PUBLIC_BASE_URL": "https://pimms.example.org",
        "OUTBOUND_RETRY_BASE_SECONDS": "0.01",
        **content,
    }
    return Settings.from_env(env)


# The night the clocks go back: "23 hours ago" and "25 hours ago" straddle the change, so wall-clock
# arithmetic would be an hour off; the window counts elapsed seconds.
NOW = datetime(2026, 10, 25, 9, 0, tzinfo=PARIS)
CLOCK = fixed_clock(NOW)


@pytest.fixture(autouse=True)
def fake_on_our_clock(fake_twilio: FakeTwilio) -> Iterator[None]:
    """The fake Twilio judges its window by the same stopped clock as the router."""
    fake_twilio.clock = NOW.timestamp
    yield
    fake_twilio.clock = time.time


async def open_window(client: aioredis.Redis, fake: FakeTwilio, hours_ago: float = 0) -> None:
    moment = NOW.timestamp() - hours_ago * 3600
    await ServiceWindow(client, fixed_clock(datetime.fromtimestamp(moment, PARIS))).opened(SENDER)
    fake.whatsapp_inbound[ADDRESS] = moment


async def test_within_the_window_free_text_leaves_with_numbered_buttons(client: aioredis.Redis, fake_twilio) -> None:
    await open_window(client, fake_twilio, hours_ago=23)
    router = build_outbound(settings(fake_twilio), client, CLOCK)
    buttons = [{"title": "Oui", "payload": "/affirm"}, {"title": "Non", "payload": "/deny"}]
    result = await router.deliver(SENDER, "Confirmez-vous ?", buttons)
    assert result.status == Status.SENT and result.provider_ids[0].startswith("MM")
    [message] = fake_twilio.sent()
    assert message["To"] == ADDRESS and message["From"] == "whatsapp:+14155238886"
    assert message["Body"] == "Confirmez-vous ?\n1. Oui\n2. Non"
    assert message["StatusCallback"] == "https://pimms.example.org/webhooks/whatsapp/status"
    assert await ButtonMemory(client).resolve(SENDER, "1") == "/affirm"  # the reply "1" maps back


async def test_after_the_window_free_text_is_refused_and_never_reaches_twilio(
    client: aioredis.Redis, fake_twilio
) -> None:
    await open_window(client, fake_twilio, hours_ago=25)
    router = build_outbound(settings(fake_twilio), client, CLOCK)
    result = await router.deliver(SENDER, "Votre dossier est complet.", human=True)
    assert result.status == Status.REFUSED and result.reason == Refusal.OUTSIDE_WINDOW.value
    assert "plus de 24 h" in result.label()
    assert fake_twilio.sent() == []


async def test_after_the_window_a_reminder_leaves_as_its_approved_template(client: aioredis.Redis, fake_twilio) -> None:
    router = build_outbound(settings(fake_twilio, TWILIO_WHATSAPP_CONTENT_BOOKING_REMINDER=REMINDER_SID), client, CLOCK)
    assert await router.send(SENDER, REMINDER)  # never wrote in the last 24 h
    [message] = fake_twilio.sent()
    assert "Body" not in message or not message["Body"]
    assert fake_twilio.templates_to(ADDRESS) == [
        (REMINDER_SID, {"1": "demain jeudi 10 décembre à 9h30", "2": "5 place", "3": "x"})
    ]


async def test_a_reminder_within_the_window_is_plain_text(client: aioredis.Redis, fake_twilio) -> None:
    await open_window(client, fake_twilio)
    router = build_outbound(settings(fake_twilio, TWILIO_WHATSAPP_CONTENT_BOOKING_REMINDER=REMINDER_SID), client, CLOCK)
    assert await router.send(SENDER, REMINDER)
    assert fake_twilio.bodies_to(ADDRESS) == [str(REMINDER)]


async def test_a_template_without_its_content_id_is_refused_visibly(client: aioredis.Redis, fake_twilio) -> None:
    router = build_outbound(settings(fake_twilio), client, CLOCK)
    result = await router.deliver(SENDER, REMINDER)
    assert result.status == Status.REFUSED and result.reason == Refusal.NO_TEMPLATE.value
    assert fake_twilio.sent() == []


async def test_nothing_proactive_reaches_an_opted_out_number(client: aioredis.Redis, fake_twilio) -> None:
    await open_window(client, fake_twilio)
    await OptOutStore(client).opt_out(SENDER)
    router = build_outbound(settings(fake_twilio, TWILIO_WHATSAPP_CONTENT_BOOKING_REMINDER=REMINDER_SID), client, CLOCK)
    result = await router.deliver(SENDER, REMINDER)
    assert result.status == Status.REFUSED and result.reason == Refusal.OPTED_OUT.value
    assert fake_twilio.sent() == []
