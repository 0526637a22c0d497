"""Which input channels are on, from the environment, as the content of Rasa's credentials file."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from bot.settings import ConfigError, Settings

TWILIO_VARS = ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_FROM_NUMBER|TWILIO_MESSAGING_SERVICE_SID")
TELEGRAM_VARS = ("TELEGRAM_BOT_TOKEN", "TELEGRAM_WEBHOOK_SECRET")
REST = "channels.rest.PrivacyRestInput"
CALLBACK = "channels.rest.PrivacyCallbackInput"


def _present(env: Mapping[str, str], spec: str) -> bool:
    return any(env.get(name, "").strip() for name in spec.split("|"))


def _check_group(env: Mapping[str, str], label: str, specs: tuple[str, ...], extra: tuple[str, ...]) -> bool:
    present = [s for s in specs if _present(env, s)]
    if not present:
        return False
    missing = [s.replace("|", " or ") for s in specs + extra if not _present(env, s)]
    if missing:
        raise ConfigError(f"{label} channel is half configured: missing {', '.join(missing)}")
    return True


def credentials(settings: Settings, env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The credentials mapping for the enabled channels; raises ConfigError for half-set channels."""
    env = os.environ if env is None else env
    creds: dict[str, Any] = {}
    # REST and callback: open on a development machine; in deployment mode only with REST_TOKEN.
    local = {"token": settings.rest_token, "deployed": settings.deployed}
    rest_on = bool(settings.rest_token) or not settings.deployed
    if rest_on:
        creds[REST] = dict(local)
    if _check_group(env, "SMS (Twilio)", TWILIO_VARS, ("PUBLIC_BASE_URL",)):
        tw = settings.twilio
        creds["channels.twilio_sms.TwilioSmsInput"] = {
            "account_sid": tw.account_sid,
            "auth_token": tw.auth_token,
            "from_number": tw.from_number,
            "messaging_service_sid": tw.messaging_service_sid,
            "api_base_url": tw.api_base_url,
            "public_base_url": settings.public_base_url,
            "max_messages": settings.sms_max_messages,
            "burst_window": settings.sms_burst_window,
            "redis_url": settings.redis_url,
        }
    if _check_group(env, "Telegram", TELEGRAM_VARS, ()):
        tg = settings.telegram
        creds["channels.telegram.TelegramInput"] = {
            "bot_token": tg.bot_token,
            "webhook_secret": tg.webhook_secret,
            "api_base_url": tg.api_base_url,
            "redis_url": settings.redis_url,
        }
    callback_url = env.get("CALLBACK_URL", "").strip()
    if callback_url and rest_on:
        creds[CALLBACK] = {"url": callback_url, **local}
    return creds


def _token(creds: Mapping[str, Any], key: str) -> bool:
    return bool((creds.get(key) or {}).get("token"))


def describe(creds: Mapping[str, Any]) -> list[str]:
    """Human-readable list of the enabled channels and their webhook paths."""
    names = {
        REST: "REST      /webhooks/rest/webhook"
        + (" (Authorization: Bearer REST_TOKEN)" if _token(creds, REST) else ""),
        "channels.twilio_sms.TwilioSmsInput": "SMS       /webhooks/sms/webhook",
        "channels.telegram.TelegramInput": "Telegram  /webhooks/telegram/webhook",
        CALLBACK: "callback  /webhooks/callback/webhook",
    }
    return [names.get(key, key) for key in creds]
