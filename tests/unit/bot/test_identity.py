"""The channel registry: sender ids <-> channel and address, labels, masks."""

from __future__ import annotations

import pytest

from bot.identity import (
    CALLBACK,
    LABELS,
    NAMES,
    REGISTRY,
    SMS,
    TELEGRAM,
    WHATSAPP,
    InvalidAddress,
    PhoneChannel,
    address_of,
    by_name,
    channel_of,
    claimed_by,
    contact,
    describe,
    kind_of,
    label_of,
    masked,
    sender_id_for_sms,
    sender_id_for_telegram,
)


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


def test_the_registry_has_one_row_per_channel_and_the_catch_all_last() -> None:
    names = [kind.name for kind in REGISTRY]
    assert names == list(NAMES) and len(set(names)) == len(names)
    prefixes = [kind.prefix for kind in REGISTRY]
    assert len(set(prefixes)) == len(prefixes) and prefixes[-1] == "" and all(prefixes[:-1])
    assert LABELS == {"sms": "SMS", "whatsapp": "WhatsApp", "telegram": "Telegram", "callback": "Web"}
    rows = ((SMS, "+33612345678"), (WHATSAPP, "+33612345678"), (TELEGRAM, "-100123"), (CALLBACK, "web-1"))
    for kind, address in rows:
        sender_id = kind.sender_id(address)
        assert kind_of(sender_id) is kind and by_name(kind.name) is kind
        assert address_of(sender_id) == address


def test_no_full_address_leaves_the_registry_unmasked() -> None:
    assert describe("sms-33612345678") == "sms +33 6 ** ** ** 78"
    assert describe("tg-5123456789") == "telegram ********89"
    assert masked("sms-33612345678") == "+33 6 ** ** ** 78" and masked("tg-5123456789") == "********89"
    assert contact("sms-33612345678") == "SMS +33 6 ** ** ** 78"
    assert contact("tg-5123456789") == "Telegram ********89"
    assert describe("wa-33612345678") == "whatsapp +33 6 ** ** ** 78"
    assert contact("wa-33612345678") == "WhatsApp +33 6 ** ** ** 78"
    for shown in (describe, masked, contact):
        assert "612345678" not in shown("sms-33612345678") and "51234567" not in shown("tg-5123456789")
        assert shown("web-user-1") == "web-user-1"  # a REST client's own id, not a number


def test_labels_for_mediators() -> None:
    assert [label_of(name) for name in ("sms", "telegram", "callback")] == ["SMS", "Telegram", "Web"]
    assert label_of("fax") == "fax" and by_name("fax") is None


def test_what_differs_per_channel_is_in_its_row() -> None:
    # SMS: buttons become "1. Oui" lines and a forged From could answer "1"; Telegram vouches for the chat.
    assert SMS.numbered_buttons and not SMS.authenticated
    assert not TELEGRAM.numbered_buttons and TELEGRAM.authenticated
    assert not CALLBACK.journalled and SMS.journalled and TELEGRAM.journalled
    assert claimed_by("sms-abc") is SMS and not SMS.owns("sms-abc")
    assert claimed_by("tg-42") is TELEGRAM and claimed_by("web-1") is None


def test_a_phone_channel_is_one_row() -> None:
    # What a WhatsApp row looks like: a phone channel with its own prefix, nothing else to write.
    whatsapp = PhoneChannel("whatsapp", "wa-", "WhatsApp")  # type: ignore[arg-type]
    sender_id = whatsapp.sender_id("06 12 34 56 78")
    assert sender_id == "wa-33612345678" and whatsapp.owns(sender_id) and not SMS.owns(sender_id)
    assert whatsapp.address(sender_id) == "+33612345678"
    assert whatsapp.mask(whatsapp.address(sender_id)) == "+33 6 ** ** ** 78"
    with pytest.raises(InvalidAddress):
        whatsapp.sender_id("hello")
