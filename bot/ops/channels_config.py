"""Which input channels are on, from the settings, as the content of Rasa's credentials file.

Settings are read from the environment once (``Settings.from_env`` in the stack); every channel entry of the
generated credentials file carries them under ``settings`` (less the console's and the action server's secrets)
and the channels rebuild them with ``Settings.from_dict``: no channel reads the environment again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from bot.settings import ConfigError, Settings

REST = "channels.rest.PrivacyRestInput"
CALLBACK = "channels.rest.PrivacyCallbackInput"
SMS = "channels.twilio_sms.TwilioSmsInput"
TELEGRAM = "channels.telegram.TelegramInput"
WHATSAPP = "channels.whatsapp.WhatsAppInput"
LABELS = {SMS: "SMS (Twilio)", TELEGRAM: "Telegram", WHATSAPP: "WhatsApp (Twilio)"}


def _required(settings: Settings) -> dict[str, tuple[dict[str, str], dict[str, str]]]:
    """Per channel, the variables that turn it on and the others it then needs, with their values."""
    tw, tg = settings.twilio, settings.telegram
    sender = {"TWILIO_FROM_NUMBER or TWILIO_MESSAGING_SERVICE_SID": tw.from_number or tw.messaging_service_sid}
    account = {"TWILIO_ACCOUNT_SID": tw.account_sid, "TWILIO_AUTH_TOKEN": tw.auth_token}
    public = {"PUBLIC_BASE_URL": settings.public_base_url}
    # The Twilio account turns SMS on, unless WhatsApp shares it: then only an SMS sender does.
    sms = (sender, {**account, **public}) if tw.whatsapp_from else ({**account, **sender}, public)
    return {
        SMS: sms,
        TELEGRAM: ({"TELEGRAM_BOT_TOKEN": tg.bot_token, "TELEGRAM_WEBHOOK_SECRET": tg.webhook_secret}, {}),
        WHATSAPP: (
            {"TWILIO_WHATSAPP_FROM": tw.whatsapp_from},
            {
                "TWILIO_ACCOUNT_SID": tw.account_sid,
                "TWILIO_AUTH_TOKEN": tw.auth_token,
                "PUBLIC_BASE_URL": settings.public_base_url,
            },
        ),
    }


def channel_settings(settings: Settings) -> dict[str, Any]:
    """What a channel entry carries: the settings, without the secrets no channel uses (console, action server)."""
    return {"settings": replace(settings, console_secret="", action_token="").as_dict()}


def _enabled(label: str, values: dict[str, str], extra: dict[str, str]) -> bool:
    """Whether a channel is on (one of its variables is set); ConfigError when it is only half set."""
    if not any(values.values()):
        return False
    missing = [name for name, value in {**values, **extra}.items() if not value]
    if missing:
        raise ConfigError(f"{label} channel is half configured: missing {', '.join(missing)}")
    return True


def credentials(settings: Settings) -> dict[str, Any]:
    """The credentials mapping for the enabled channels; raises ConfigError for half-set channels."""
    creds: dict[str, Any] = {}
    # REST and callback: open on a development machine; in deployment mode only with REST_TOKEN.
    rest_on = bool(settings.rest_token) or not settings.deployed
    if rest_on:
        creds[REST] = channel_settings(settings)
    for key, (values, extra) in _required(settings).items():
        if _enabled(LABELS[key], values, extra):
            creds[key] = channel_settings(settings)
    if settings.callback_url and rest_on:
        creds[CALLBACK] = {"url": settings.callback_url, **channel_settings(settings)}
    return creds


def _token(creds: Mapping[str, Any], key: str) -> bool:
    return bool(((creds.get(key) or {}).get("settings") or {}).get("rest_token"))


def describe(creds: Mapping[str, Any]) -> list[str]:
    """Human-readable list of the enabled channels and their webhook paths."""
    names = {
        REST: "REST      /webhooks/rest/webhook"
        + (" (Authorization: Bearer REST_TOKEN)" if _token(creds, REST) else ""),
        SMS: "SMS       /webhooks/sms/webhook",
        TELEGRAM: "Telegram  /webhooks/telegram/webhook",
        WHATSAPP: "WhatsApp  /webhooks/whatsapp/webhook",
        CALLBACK: "callback  /webhooks/callback/webhook",
    }
    return [names.get(key, key) for key in creds]
