"""Webhook authentication: Twilio signatures (published vector) and the Telegram secret."""

from __future__ import annotations

from twilio.request_validator import RequestValidator

from channels.security import FormParams, is_valid_telegram_secret, is_valid_twilio, public_url

VECTOR_URL = "https://mycompany.com/myapp.php?foo=1&bar=2"
VECTOR_PARAMS = {
    "CallSid": "CA1234567890ABCDE",
    "Caller": "+12349013030",
    "Digits": "1234",
    "From": "+12349013030",
    "To": "+18005551212",
}


def test_twilio_published_vector() -> None:
    assert RequestValidator("12345").compute_signature(VECTOR_URL, VECTOR_PARAMS) == "0/KCTR6DLpKmkAf8muzZqo1nDgQ="
    assert is_valid_twilio("12345", VECTOR_URL, VECTOR_PARAMS, "0/KCTR6DLpKmkAf8muzZqo1nDgQ=")


def test_tampering_is_detected() -> None:
    signature = "0/KCTR6DLpKmkAf8muzZqo1nDgQ="
    assert not is_valid_twilio("12345", VECTOR_URL, {**VECTOR_PARAMS, "Digits": "9"}, signature)
    assert not is_valid_twilio("12345", "https://evil.example/myapp.php?foo=1&bar=2", VECTOR_PARAMS, signature)
    assert not is_valid_twilio("other", VECTOR_URL, VECTOR_PARAMS, signature)
    assert not is_valid_twilio("12345", VECTOR_URL, VECTOR_PARAMS, "")
    assert not is_valid_twilio("", VECTOR_URL, VECTOR_PARAMS, signature)


def test_form_params_with_blank_and_repeated_values() -> None:
    pairs = [("Body", ""), ("MediaUrl0", "a"), ("MediaUrl0", "b"), ("From", "+33612345678")]
    params = FormParams.from_pairs(pairs)
    url = public_url("https://pimms.example.org/", "/webhooks/sms/webhook")
    signature = RequestValidator("tok").compute_signature(url, params)
    assert is_valid_twilio("tok", url, params, signature)
    assert params.first("Body") == "" and params.first("Missing", "x") == "x"


def test_public_url_keeps_query_string() -> None:
    assert public_url("https://a.example/", "/webhooks/sms/webhook", "x=1") == (
        "https://a.example/webhooks/sms/webhook?x=1"
    )


def test_telegram_secret() -> None:
    assert is_valid_telegram_secret("s3cret", "s3cret")
    assert not is_valid_telegram_secret("s3cret", "s3cre")
    assert not is_valid_telegram_secret("s3cret", None)
    assert not is_valid_telegram_secret("", "")
