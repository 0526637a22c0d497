"""What a resident's phone does to a running stack: signed SMS and Telegram webhooks; and the hand-off record."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Mapping
from typing import Any

import httpx
import redis

from tests.fakes.sanic_harness import TWILIO_SID, sign

SMS_PATH = "/webhooks/sms/webhook"
TG_PATH = "/webhooks/telegram/webhook"


def sms_webhook(base: str, env: Mapping[str, str], phone: str, body: str, timeout: float = 10) -> httpx.Response:
    """An SMS from ``phone`` as Twilio posts it to the stack at ``base``, signed with the stack's token."""
    sid = "SM" + uuid.uuid4().hex
    form = {"MessageSid": sid, "SmsSid": sid, "AccountSid": TWILIO_SID, "From": phone}
    form.update({"To": "+33700000000", "Body": body, "NumMedia": "0"})
    signature = sign(env["PUBLIC_BASE_URL"] + SMS_PATH, form, token=env["TWILIO_AUTH_TOKEN"])
    return httpx.post(base + SMS_PATH, data=form, headers={"X-Twilio-Signature": signature}, timeout=timeout)


def telegram_webhook(base: str, env: Mapping[str, str], chat_id: int, text: str, timeout: float = 10) -> httpx.Response:
    """A private Telegram message from ``chat_id`` as the Bot API posts it, with the stack's secret token."""
    update = {
        "update_id": int(uuid.uuid4().int % 2_000_000_000),
        "message": {
            "message_id": int(time.time()) % 100000,
            "date": int(time.time()),
            "text": text,
            "chat": {"id": chat_id, "type": "private", "first_name": "Ana"},
            "from": {"id": chat_id, "is_bot": False, "first_name": "Ana"},
        },
    }
    headers = {"X-Telegram-Bot-Api-Secret-Token": env["TELEGRAM_WEBHOOK_SECRET"]}
    return httpx.post(base + TG_PATH, json=update, headers=headers, timeout=timeout)


def send_sms(stack: Any, phone: str, body: str) -> None:
    """A signed SMS through the running stack's Twilio webhook (REST may not speak for a phone number)."""
    reply = sms_webhook(stack.rasa_url, stack.env, phone, body)
    assert reply.status_code == 200, reply.text


def send_telegram(stack: Any, chat_id: int, text: str) -> None:
    """A Telegram message through the running stack's webhook."""
    reply = telegram_webhook(stack.rasa_url, stack.env, chat_id, text)
    assert reply.status_code == 200, reply.text


def handoff(stack: Any, sender_id: str) -> dict[str, Any] | None:
    """The stored hand-off record of a conversation (None when there is none)."""
    raw = redis.Redis.from_url(stack.redis_url).get(f"pimms:handoff:conv:{sender_id}")
    return json.loads(raw) if raw else None
