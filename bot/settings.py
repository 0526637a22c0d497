"""Typed configuration, read from the environment in one place (never at import time)."""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, TypeVar

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class ConfigError(ValueError):
    """Raised when the configuration is missing or inconsistent."""


N = TypeVar("N", int, float)


def _number(env: Mapping[str, str], name: str, default: N, kind: type[N], what: str) -> N:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        return kind(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be {what}, got {raw!r}") from exc


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    return _number(env, name, default, int, "an integer")


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    return _number(env, name, default, float, "a number")


def is_loopback(host: str) -> bool:
    """Whether a bind address is reachable from this machine only (wildcards and other names are not)."""
    host = host.strip().strip("[]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _mediator_chat_id(env: Mapping[str, str]) -> str:
    """TELEGRAM_MEDIATOR_CHAT_ID: a group's id (negative), never a person's private chat (positive) (M8)."""
    value = env.get("TELEGRAM_MEDIATOR_CHAT_ID", "").strip()
    if value and not re.fullmatch(r"-\d+", value):
        raise ConfigError(
            "TELEGRAM_MEDIATOR_CHAT_ID must be the mediators' Telegram group id, a negative number such as "
            "-1001234567890: a positive id is one person's private chat, which must not receive the alerts"
        )
    return value


WHATSAPP_CONTENT_PREFIX = "TWILIO_WHATSAPP_CONTENT_"


def _whatsapp_from(env: Mapping[str, str]) -> str:
    """TWILIO_WHATSAPP_FROM: Twilio's ``whatsapp:+<E.164>`` sender address (a bare number gets the prefix)."""
    value = env.get("TWILIO_WHATSAPP_FROM", "").strip().replace(" ", "")
    if not value:
        return ""
    number = value.removeprefix("whatsapp:")
    if not re.fullmatch(r"\+\d{8,15}", number):
        raise ConfigError("TWILIO_WHATSAPP_FROM must be a WhatsApp sender such as whatsapp:+14155238886")
    return "whatsapp:" + number


@dataclass(frozen=True)
class TwilioSettings:
    """Twilio SMS channel configuration."""

    account_sid: str
    auth_token: str
    from_number: str = ""
    messaging_service_sid: str = ""
    api_base_url: str = ""
    whatsapp_from: str = ""  # "whatsapp:+14155238886": the WhatsApp channel is on when set
    whatsapp_content_sids: dict[str, str] = field(default_factory=dict)  # TWILIO_WHATSAPP_CONTENT_* -> HX...

    @property
    def enabled(self) -> bool:
        """Whether the channel is fully configured."""
        return bool(self.account_sid and self.auth_token and (self.from_number or self.messaging_service_sid))

    @property
    def whatsapp_enabled(self) -> bool:
        """Whether the WhatsApp channel is configured (same account, a WhatsApp sender)."""
        return bool(self.account_sid and self.auth_token and self.whatsapp_from)


@dataclass(frozen=True)
class TelegramSettings:
    """Telegram channel configuration."""

    bot_token: str
    webhook_secret: str
    api_base_url: str = ""
    mediator_chat_id: str = ""

    @property
    def enabled(self) -> bool:
        """Whether the channel is fully configured."""
        return bool(self.bot_token and self.webhook_secret)


@dataclass(frozen=True)
class Settings:
    """Everything the application reads from its environment."""

    redis_url: str = "redis://127.0.0.1:6379/0"
    redis_sentinels: str = ""  # host:port,... of Redis Sentinel (bot/redis_connect.py); empty: REDIS_URL alone
    redis_sentinel_master: str = ""
    redis_sentinel_password: str = ""
    redis_wait_replicas: int = 0  # replicas that must hold a durable write before it is acknowledged
    redis_wait_timeout_ms: int = 500
    data_dir: Path = PROJECT_ROOT / "var"
    sites_file: Path = PROJECT_ROOT / "config" / "sites.yml"
    rasa_url: str = "http://127.0.0.1:5005"
    rasa_port: int = 5005
    rasa_workers: int = 1
    action_port: int = 5055
    console_port: int = 8080
    rasa_token: str = ""
    console_secret: str = ""
    public_base_url: str = ""
    retention_days: int = 90
    tracker_ttl_seconds: int = 90 * 24 * 3600
    booking_retention_days: int = 90
    access_log_days: int = 180
    privacy_contact: str = ""
    privacy_notice: bool = True
    sms_max_messages: int = 4
    sms_burst_window: float = 3.0
    rate_limit_count: int = 20
    rate_limit_window: int = 600
    daily_outbound_cap: int = 60
    outbound_retry_attempts: int = 4
    outbound_retry_base: float = 0.5
    console_public_url: str = ""
    activity_retention_days: int = 3 * 366
    handoff_ack_interval: int = 300
    handoff_idle_timeout: int = 3 * 3600
    handoff_idle_sweep: int = 60  # seconds between two passes of the inactivity sweeper
    twilio: TwilioSettings = field(default_factory=lambda: TwilioSettings("", ""))
    telegram: TelegramSettings = field(default_factory=lambda: TelegramSettings("", ""))
    bind_host: str = "127.0.0.1"
    rest_token: str = ""
    action_token: str = ""
    https: bool = False
    callback_url: str = ""

    @property
    def deployed(self) -> bool:
        """Deployment mode: a public address is configured, or the servers listen beyond loopback (BIND_HOST).

        REST and callback then need REST_TOKEN (off without it) and refuse SMS/Telegram sender ids (L12).
        """
        return bool(self.public_base_url) or not is_loopback(self.bind_host)

    @property
    def console_url(self) -> str:
        """Where mediators open the console (links in alerts): CONSOLE_PUBLIC_URL, else the local address."""
        return self.console_public_url or f"http://127.0.0.1:{self.console_port}"

    @property
    def retention_seconds(self) -> int:
        """How long personal data is kept after the last activity (RETENTION_DAYS)."""
        return self.retention_days * 24 * 3600

    @property
    def booking_retention_seconds(self) -> int:
        """How long a booking is kept after its appointment (BOOKING_RETENTION_DAYS)."""
        return self.booking_retention_days * 24 * 3600

    @property
    def access_log_seconds(self) -> int:
        """How long the mediators' access log is kept (ACCESS_LOG_DAYS)."""
        return self.access_log_days * 24 * 3600

    def as_dict(self) -> dict[str, Any]:
        """These settings as plain YAML/JSON values (what the generated credentials file hands the channels)."""
        return {name: str(value) if isinstance(value, Path) else value for name, value in asdict(self).items()}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Settings:
        """Settings written by :meth:`as_dict` (a missing field keeps its default; an unknown one is an error)."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ConfigError(f"unknown settings: {', '.join(unknown)}")
        values: dict[str, Any] = dict(data)
        for name in ("data_dir", "sites_file"):
            if name in values:
                values[name] = Path(values[name])
        if "twilio" in values:
            values["twilio"] = TwilioSettings(**values["twilio"])
        if "telegram" in values:
            values["telegram"] = TelegramSettings(**values["telegram"])
        return cls(**values)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Build settings from an environment mapping (``os.environ`` by default)."""
        env = os.environ if env is None else env
        redis_url = env.get("REDIS_URL", "").strip()
        sentinels = env.get("REDIS_SENTINELS", "").strip()
        sentinel_master = env.get("REDIS_SENTINEL_MASTER", "").strip()
        if sentinels and not sentinel_master:
            raise ConfigError("REDIS_SENTINELS needs REDIS_SENTINEL_MASTER (the name the sentinels monitor)")
        rasa_port = _int(env, "RASA_PORT", 5005)
        retention_days = _int(env, "RETENTION_DAYS", 90)
        if retention_days < 1:
            raise ConfigError("RETENTION_DAYS must be at least 1")
        return cls(
            redis_url=redis_url or "redis://127.0.0.1:6379/0",
            redis_sentinels=sentinels,
            redis_sentinel_master=sentinel_master,
            redis_sentinel_password=env.get("REDIS_SENTINEL_PASSWORD", "").strip(),
            redis_wait_replicas=_int(env, "REDIS_WAIT_REPLICAS", 1 if sentinels else 0),
            redis_wait_timeout_ms=_int(env, "REDIS_WAIT_TIMEOUT_MS", 500),
            data_dir=Path(env.get("PIMMS_DATA_DIR", "") or PROJECT_ROOT / "var"),
            sites_file=Path(env.get("PIMMS_SITES_FILE", "") or PROJECT_ROOT / "config" / "sites.yml"),
            rasa_url=env.get("RASA_URL", "").strip() or f"http://127.0.0.1:{rasa_port}",
            rasa_port=rasa_port,
            rasa_workers=_int(env, "RASA_WORKERS", 1),
            action_port=_int(env, "ACTION_PORT", 5055),
            console_port=_int(env, "CONSOLE_PORT", 8080),
            rasa_token=env.get("RASA_TOKEN", "").strip(),
            console_secret=env.get("CONSOLE_SECRET", "").strip(),
            public_base_url=env.get("PUBLIC_BASE_URL", "").strip().rstrip("/"),
            retention_days=retention_days,
            tracker_ttl_seconds=_int(env, "TRACKER_TTL_SECONDS", retention_days * 24 * 3600),
            booking_retention_days=_int(env, "BOOKING_RETENTION_DAYS", 90),
            access_log_days=_int(env, "ACCESS_LOG_DAYS", 180),
            privacy_contact=env.get("PRIVACY_CONTACT", "").strip(),
            privacy_notice=env.get("PRIVACY_NOTICE", "").strip().lower() not in ("0", "false", "no", "non"),
            sms_max_messages=_int(env, "SMS_MAX_MESSAGES", 4),
            sms_burst_window=_float(env, "SMS_BURST_WINDOW", 3.0),
            rate_limit_count=_int(env, "RATE_LIMIT_COUNT", 20),
            rate_limit_window=_int(env, "RATE_LIMIT_WINDOW", 600),
            daily_outbound_cap=_int(env, "DAILY_OUTBOUND_CAP", 60),
            outbound_retry_attempts=max(1, _int(env, "OUTBOUND_RETRY_ATTEMPTS", 4)),
            outbound_retry_base=_float(env, "OUTBOUND_RETRY_BASE_SECONDS", 0.5),
            console_public_url=env.get("CONSOLE_PUBLIC_URL", "").strip().rstrip("/"),
            activity_retention_days=_int(env, "ACTIVITY_RETENTION_DAYS", 3 * 366),
            handoff_ack_interval=_int(env, "HANDOFF_ACK_INTERVAL", 300),
            handoff_idle_timeout=_int(env, "HANDOFF_IDLE_TIMEOUT", 3 * 3600),
            handoff_idle_sweep=max(1, _int(env, "HANDOFF_IDLE_SWEEP", 60)),
            twilio=TwilioSettings(
                account_sid=env.get("TWILIO_ACCOUNT_SID", "").strip(),
                auth_token=env.get("TWILIO_AUTH_TOKEN", "").strip(),
                from_number=env.get("TWILIO_FROM_NUMBER", "").strip(),
                messaging_service_sid=env.get("TWILIO_MESSAGING_SERVICE_SID", "").strip(),
                api_base_url=env.get("TWILIO_API_BASE_URL", "").strip().rstrip("/"),
                whatsapp_from=_whatsapp_from(env),
                whatsapp_content_sids={
                    name: value.strip()
                    for name, value in env.items()
                    if name.startswith(WHATSAPP_CONTENT_PREFIX) and value.strip()
                },
            ),
            telegram=TelegramSettings(
                bot_token=env.get("TELEGRAM_BOT_TOKEN", "").strip(),
                webhook_secret=env.get("TELEGRAM_WEBHOOK_SECRET", "").strip(),
                api_base_url=env.get("TELEGRAM_API_BASE_URL", "").strip(),
                mediator_chat_id=_mediator_chat_id(env),
            ),
            bind_host=env.get("BIND_HOST", "").strip() or "127.0.0.1",
            rest_token=env.get("REST_TOKEN", "").strip(),
            action_token=env.get("ACTION_TOKEN", "").strip(),
            https=env.get("PUBLIC_BASE_URL", "").strip().lower().startswith("https://")
            or env.get("CONSOLE_HTTPS", "").strip().lower() in ("1", "true", "yes"),
            callback_url=env.get("CALLBACK_URL", "").strip(),
        )
