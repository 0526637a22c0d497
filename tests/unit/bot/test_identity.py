"""Sender ids <-> channel and address."""

from __future__ import annotations

import pytest

from bot.identity import InvalidAddress, address_of, channel_of, sender_id_for_sms, sender_id_for_telegram


def test_sms_sender_ids() -> None:
    assert sender_id_for_sms("+33612345678") == "sms-33612345678"
    assert sender_id_for_sms("06 12 34 56 78") == "sms-33612345678"
    assert channel_of("sms-33612345678") == "sms"
    assert address_of("sms-33612345678") == "+33612345678"
    with pytest.raises(InvalidAddress):
        sender_id_for_sms("hello")


def test_telegram_sender_ids() -> None:
    assert sender_id_for_telegram(42) == "tg-42"
    assert sender_id_for_telegram("-100123") == "tg--100123"
    assert channel_of("tg-42") == "telegram" and channel_of("tg--100123") == "telegram"
    assert address_of("tg-42") == "42"
    with pytest.raises(InvalidAddress):
        sender_id_for_telegram("abc")


def test_everything_else_is_callback() -> None:
    for sender_id in ("test-user", "sms-abc", "tg-x", "tg-4-2", "42"):
        assert channel_of(sender_id) == "callback"
        assert address_of(sender_id) == sender_id
