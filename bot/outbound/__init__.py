"""Outbound messages to any user (channel replies, mediator replies, reminders)."""

from __future__ import annotations

import redis.asyncio as aioredis

from bot.optout import OptOutStore
from bot.outbound.callback_sender import HttpCallbackSender
from bot.outbound.dead_letters import DeadLetters
from bot.outbound.retry import RetryPolicy
from bot.outbound.router import DeliveryError, OutboundRouter, UndeliverableError
from bot.outbound.senders import CallbackSender, SmsSender, TelegramSender
from bot.outbound.status import SmsStatusIndex, status_callback_url
from bot.outbound.telegram_sender import TelegramBotSender
from bot.outbound.twilio_sender import TwilioRestSender
from bot.ratelimit import OutboundCap
from bot.settings import Settings
from bot.sms import ButtonMemory

__all__ = [
    "CallbackSender",
    "DeadLetters",
    "DeliveryError",
    "HttpCallbackSender",
    "OutboundRouter",
    "SmsSender",
    "TelegramBotSender",
    "TelegramSender",
    "TwilioRestSender",
    "UndeliverableError",
    "build_outbound",
]


def build_outbound(settings: Settings, redis_client: aioredis.Redis) -> OutboundRouter:
    """A router with the real senders for every channel configured in ``settings``."""
    tw = settings.twilio
    status_callback = status_callback_url(settings.public_base_url) if tw.enabled else ""
    sms = (
        TwilioRestSender(
            tw.account_sid, tw.auth_token, tw.from_number, tw.messaging_service_sid, tw.api_base_url, status_callback
        )
        if tw.enabled
        else None
    )
    tg = settings.telegram
    telegram = TelegramBotSender(tg.bot_token, tg.api_base_url) if tg.bot_token else None
    callback_url = settings.callback_url  # where messages for non-SMS, non-Telegram senders go
    return OutboundRouter(
        sms=sms,
        telegram=telegram,
        callback=HttpCallbackSender(callback_url) if callback_url else None,
        optout=OptOutStore(redis_client),
        cap=OutboundCap(redis_client, settings.daily_outbound_cap),
        button_memory=ButtonMemory(redis_client),
        max_messages=settings.sms_max_messages,
        retry=RetryPolicy(attempts=settings.outbound_retry_attempts, base=settings.outbound_retry_base),
        dead_letters=DeadLetters(redis_client),
        sms_status=SmsStatusIndex(redis_client) if status_callback else None,
    )
