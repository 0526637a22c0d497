"""Hypothesis fuzzing of both webhooks on a real server: never a 5xx."""

from __future__ import annotations

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fakes.sanic_harness import TG_SECRET, Echo, serve_in_thread, sign, sms_channel, tg_channel

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
SMS_PATH = "/webhooks/sms/webhook"
CONTENT_TYPES = st.sampled_from(
    ["application/x-www-form-urlencoded", "application/json", "text/plain", "multipart/form-data", ""]
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12,
)
update_like = st.fixed_dictionaries(
    {"update_id": st.integers(min_value=0, max_value=2**31)},
    optional={
        "message": st.dictionaries(
            st.sampled_from(["message_id", "date", "chat", "text", "from", "sticker", "photo", "voice"]),
            json_values,
            max_size=6,
        ),
        "callback_query": st.dictionaries(
            st.sampled_from(["id", "from", "data", "message", "chat_instance"]), json_values, max_size=5
        ),
        "edited_message": json_values,
    },
)


def test_sms_webhook_never_answers_5xx(redis_url: str, fake_twilio) -> None:
    channel = sms_channel(redis_url, fake_twilio.base_url, burst=0, notice=True)
    with serve_in_thread(channel, Echo()) as base, httpx.Client(timeout=10) as client:

        @FUZZ
        @given(
            fields=st.dictionaries(
                st.sampled_from(["MessageSid", "From", "Body", "NumMedia", "To", "Other"]),
                st.text(max_size=80),
            ),
            raw=st.binary(max_size=300),
            content_type=CONTENT_TYPES,
            signed=st.booleans(),
        )
        def check(fields: dict[str, str], raw: bytes, content_type: str, signed: bool) -> None:
            headers = {"Content-Type": content_type} if content_type else {}
            if signed:
                headers["X-Twilio-Signature"] = sign("https://pimms.example.org" + SMS_PATH, fields)
                reply = client.post(base + SMS_PATH, data=fields, headers={**headers})
            else:
                reply = client.post(base + SMS_PATH, content=raw, headers=headers)
            assert reply.status_code < 500, reply.text

        check()
        huge = client.post(base + SMS_PATH, content=b"Body=" + b"a" * 200_000)
        assert huge.status_code == 413


def test_telegram_webhook_never_answers_5xx(redis_url: str, fake_telegram) -> None:
    channel = tg_channel(redis_url, fake_telegram.base_url, notice=True)
    with serve_in_thread(channel, Echo()) as base, httpx.Client(timeout=10) as client:
        url = base + "/webhooks/telegram/webhook"

        @FUZZ
        @given(body=update_like | json_values, raw=st.binary(max_size=200), use_raw=st.booleans())
        def check(body: object, raw: bytes, use_raw: bool) -> None:
            headers = {"X-Telegram-Bot-Api-Secret-Token": TG_SECRET}
            if use_raw:
                reply = client.post(url, content=raw, headers=headers)
            else:
                reply = client.post(url, json=body, headers=headers)
            assert reply.status_code < 500, reply.text

        check()
        huge = client.post(
            url, content=b"{" + b" " * 200_000 + b"}", headers={"X-Telegram-Bot-Api-Secret-Token": TG_SECRET}
        )
        assert huge.status_code == 413
