"""Sender ids (Rasa conversation ids) <-> channel and address."""

from __future__ import annotations

from typing import Literal

from bot.phone import normalize_e164

Channel = Literal["sms", "telegram", "callback"]

SMS_PREFIX = "sms-"
TELEGRAM_PREFIX = "tg-"


class InvalidAddress(ValueError):
    """Raised when an address cannot become a sender id."""


def sender_id_for_sms(phone: str) -> str:
    """``"+33612345678"`` -> ``"sms-33612345678"`` (E.164 digits, no ``+``)."""
    e164 = normalize_e164(phone)
    if e164 is None:
        raise InvalidAddress("not a phone number")
    return SMS_PREFIX + e164.lstrip("+")


def sender_id_for_telegram(chat_id: int | str) -> str:
    """``42`` -> ``"tg-42"`` (group chat ids are negative: ``"tg--100123"``)."""
    text = str(chat_id).strip()
    if not text.lstrip("-").isdigit():
        raise InvalidAddress("not a Telegram chat id")
    return TELEGRAM_PREFIX + str(int(text))


def channel_of(sender_id: str) -> Channel:
    """The channel a conversation lives on, from its sender-id prefix."""
    if sender_id.startswith(SMS_PREFIX) and sender_id[len(SMS_PREFIX) :].isdigit():
        return "sms"
    rest = sender_id[len(TELEGRAM_PREFIX) :]
    if sender_id.startswith(TELEGRAM_PREFIX) and rest.lstrip("-").isdigit() and rest.count("-") <= 1:
        return "telegram"
    return "callback"


def address_of(sender_id: str) -> str:
    """Where to reach a sender: E.164 number, Telegram chat id, or the sender id itself."""
    channel = channel_of(sender_id)
    if channel == "sms":
        return "+" + sender_id[len(SMS_PREFIX) :]
    if channel == "telegram":
        return sender_id[len(TELEGRAM_PREFIX) :]
    return sender_id
