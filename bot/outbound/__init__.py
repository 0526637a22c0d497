"""Outbound messages to any user (channel replies, mediator replies, reminders)."""

from __future__ import annotations

import redis.asyncio as aioredis

from bot.clock import Clock, system_clock
from bot.identity import CALLBACK, SMS, TELEGRAM, WHATSAPP, Channel
from bot.optout import OptOutStore
from bot.outbound.callback_sender import HttpCallbackSender
from bot.outbound.dead_letters import DeadLetters
from bot.outbound.retry import RetryPolicy
from bot.outbound.router import DeliveryError, OutboundRouter, UndeliverableError
from bot.outbound.senders import CallbackSender, SmsSender, TelegramSender
from bot.outbound.status import SmsStatusIndex, status_callback_url
from bot.outbound.telegram_sender import TelegramBotSender
from bot.outbound.transports import CallbackTransport, SmsTransport, TelegramTransport, Transport
from bot.outbound.twilio_sender import TwilioRestSender
from bot.outbound.whatsapp_transport import whatsapp_transport
from bot.ratelimit import OutboundCap
from bot.settings import Settings
from bot.sms import ButtonMemory

__all__ = [
    "CallbackSender",
    "CallbackTransport",
    "DeadLetters",
    "DeliveryError",
    "HttpCallbackSender",
    "OutboundRouter",
    "SmsSender",
    "SmsTransport",
    "TelegramBotSender",
    "TelegramSender",
    "TelegramTransport",
    "Transport",
    "TwilioRestSender",
    "UndeliverableError",
    "build_outbound",
]


def build_outbound(settings: Settings, redis_client: aioredis.Redis, clock: Clock | None = None) -> OutboundRouter:
    """A router with a transport for every channel configured in ``settings`` (keyed by the registry's names);
    ``clock`` (the system clock by default) decides whether a WhatsApp conversation's 24-hour window is open."""
    retry = RetryPolicy(attempts=settings.outbound_retry_attempts, base=settings.outbound_retry_base)
    buttons = ButtonMemory(redis_client)
    transports: dict[Channel, Transport] = {}
    tw = settings.twilio
    if tw.enabled:
        status_callback = status_callback_url(settings.public_base_url)
        sms = TwilioRestSender(
            tw.account_sid, tw.auth_token, tw.from_number, tw.messaging_service_sid, tw.api_base_url, status_callback
        )
        status = SmsStatusIndex(redis_client) if status_callback else None
        transports[SMS.name] = SmsTransport(
            sms, max_messages=settings.sms_max_messages, retry=retry, buttons=buttons, status=status
        )
    tg = settings.telegram
    if tg.bot_token:
        transports[TELEGRAM.name] = TelegramTransport(
            TelegramBotSender(tg.bot_token, tg.api_base_url), retry=retry, buttons=buttons
        )
    whatsapp = whatsapp_transport(settings, redis_client, retry, buttons, clock or system_clock())
    if whatsapp is not None:
        transports[WHATSAPP.name] = whatsapp
    if settings.callback_url:  # where messages for senders of no other channel go
        transports[CALLBACK.name] = CallbackTransport(HttpCallbackSender(settings.callback_url), retry=retry)
    return OutboundRouter(
        transports=transports,
        optout=OptOutStore(redis_client),
        cap=OutboundCap(redis_client, settings.daily_outbound_cap),
        dead_letters=DeadLetters(redis_client),
    )
