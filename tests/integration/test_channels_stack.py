"""Our SMS and Telegram channels through the real Rasa server (trained model, running stack)."""

from __future__ import annotations

import time
import uuid
from typing import Any

import httpx
import pytest

from bot.privacy import messages
from tests.fakes.sanic_harness import sign

pytestmark = pytest.mark.stack
SMS_PATH = "/webhooks/sms/webhook"


def _sms_form(body: str, phone: str) -> dict[str, str]:
    sid = "SM" + uuid.uuid4().hex
    return {
        "MessageSid": sid,
        "SmsSid": sid,
        "AccountSid": "ACtest00000000000000000000000000",
        "From": phone,
        "To": "+33700000000",
        "Body": body,
        "NumMedia": "0",
    }


def test_signed_sms_gets_a_french_reply_at_fake_twilio(stack: Any, fake_twilio: Any) -> None:
    phone = "+33612340001"
    form = _sms_form("bonjour", phone)
    signature = sign(stack.env["PUBLIC_BASE_URL"] + SMS_PATH, form, token=stack.env["TWILIO_AUTH_TOKEN"])
    reply = httpx.post(stack.rasa_url + SMS_PATH, data=form, headers={"X-Twilio-Signature": signature}, timeout=10)
    assert reply.status_code == 200 and "<Response" in reply.text
    fake_twilio.wait_for(2, timeout=30)  # the answer, then the one-time notice of a new sender
    deadline = time.monotonic() + 15
    while messages.first_contact_notice(90) not in fake_twilio.bodies_to(phone) and time.monotonic() < deadline:
        time.sleep(0.2)
    bodies = fake_twilio.bodies_to(phone)
    assert bodies[-1] == messages.first_contact_notice(90)
    assert bodies and all(body.strip() for body in bodies)
    assert any(word in " ".join(bodies).lower() for word in ("bonjour", "pimms", "assistant", "aider"))
    # The reply can reach Twilio a moment before Rasa saves the turn: wait for the saved tracker.
    deadline = time.monotonic() + 15
    while stack.tracker("sms-33612340001")["latest_input_channel"] is None and time.monotonic() < deadline:
        time.sleep(0.2)
    assert stack.tracker("sms-33612340001")["latest_input_channel"] == "sms"


def test_unsigned_sms_is_refused_by_the_running_server(stack: Any, fake_twilio: Any) -> None:
    reply = httpx.post(stack.rasa_url + SMS_PATH, data=_sms_form("bonjour", "+33612340002"), timeout=10)
    assert reply.status_code == 403
    time.sleep(1)
    assert fake_twilio.messages == []


def test_telegram_update_gets_send_message(stack: Any, fake_telegram: Any) -> None:
    update_id = int(time.time() * 1000) % 2_000_000_000
    update = {
        "update_id": update_id,
        "message": {
            "message_id": 1,
            "date": int(time.time()),
            "text": "bonjour",
            "chat": {"id": 4201, "type": "private", "first_name": "Ana"},
            "from": {"id": 4201, "is_bot": False, "first_name": "Ana"},
        },
    }
    reply = httpx.post(
        stack.rasa_url + "/webhooks/telegram/webhook",
        json=update,
        headers={"X-Telegram-Bot-Api-Secret-Token": stack.env["TELEGRAM_WEBHOOK_SECRET"]},
        timeout=10,
    )
    assert reply.status_code == 200
    sent = fake_telegram.wait_for(1, timeout=30)
    assert sent[0]["chat_id"] == 4201 and sent[0]["text"]
    deadline = time.monotonic() + 15  # then the one-time notice of a new sender, before the next test
    while sent[-1]["text"] != messages.first_contact_notice(90) and time.monotonic() < deadline:
        time.sleep(0.2)
        sent = fake_telegram.messages
    assert sent[-1]["text"] == messages.first_contact_notice(90)


def test_http_api_bot_event_reaches_telegram(stack: Any, fake_telegram: Any) -> None:
    url = f"{stack.rasa_url}/conversations/tg-42/tracker/events?output_channel=telegram&execute_side_effects=true"
    events = [{"event": "bot", "text": "Bonjour, ici une médiatrice du PIMMS.", "metadata": {}}]
    reply = httpx.post(url, json=events, headers=stack.api_headers(), timeout=30)
    assert reply.status_code == 200, reply.text
    messages = fake_telegram.wait_for(1, timeout=30)
    assert messages[0] == {
        "chat_id": 42,
        "text": "Bonjour, ici une médiatrice du PIMMS.",
        "reply_markup": None,
    }
