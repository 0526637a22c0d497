"""Last line of defence for logs: secrets, phone numbers and chat ids are masked in every log record.

Each process calls ``install(env)`` before it logs anything: a log-record factory rewrites the message
of every record (whatever the logger or handler, including third-party ones), exception texts are
redacted too, and chatty third-party loggers that print URLs are turned down.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any
from urllib.parse import urlparse

from bot.security.secrets_check import SECRET_VARS

SECRET = "[secret]"
# Values shorter than this are not treated as secrets (they would mask ordinary words).
MIN_KNOWN_SECRET = 6
_PATTERNS: tuple[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]], ...] = (
    (re.compile(r"(?i)\bbot\d+:[A-Za-z0-9_-]+"), "bot" + SECRET),
    (re.compile(r"(?i)\b(bearer)\s+[A-Za-z0-9._~+/=-]+"), r"\1 " + SECRET),
    (re.compile(r"(?i)\b(token|secret|password|auth_token|api_key|jwt)=[^&\s\"']+"), r"\1=" + SECRET),
    (re.compile(r"(?i)(rediss?://)[^/@\s]*@"), r"\1***@"),
)
# French numbers written with separators ("06 12 34 56 78", "+33 6 12 34 56 78").
_SPACED_PHONE = re.compile(r"(?<!\d)(?:\+33\s?|0)[1-9](?:[\s.-]?\d{2}){4}(?!\d)")
# Any run of 7+ digits (E.164 numbers, sms-/tg- sender ids, chat ids), "+" included.
_DIGITS = re.compile(r"\+?(?<!\d)\d{7,}(?!\d)")
# Libraries that log every request URL at INFO (httpx: "HTTP Request: POST .../bot<token>/...").
NOISY_LOGGERS = {
    "httpx": logging.WARNING,
    "httpcore": logging.WARNING,
    "uvicorn.access": logging.WARNING,
    "sanic.access": logging.WARNING,
    "telegram": logging.WARNING,
    "telegram.ext": logging.WARNING,
    "urllib3": logging.WARNING,
    "aiohttp.access": logging.WARNING,
    "twilio.http_client": logging.WARNING,
}


def _mask_digits(match: re.Match[str]) -> str:
    text = match.group(0)
    digits = [c for c in text if c.isdigit()]
    keep = 2 if len(digits) >= 7 else 0
    out, seen = [], 0
    for char in text:
        if char.isdigit():
            seen += 1
            out.append(char if seen > len(digits) - keep else "*")
        else:
            out.append(char)
    return "".join(out)


def secrets_from_env(env: Mapping[str, str]) -> list[str]:
    """Secret values a process knows about: tokens from the environment and the Redis password."""
    values = [env.get(name, "").strip() for name in (*SECRET_VARS, "PIMMS_REDIS_PASSWORD")]
    for name in ("REDIS_URL",):
        password = urlparse(env.get(name, "")).password
        if password:
            values.append(password)
    return [v for v in values if len(v) >= MIN_KNOWN_SECRET]


class Redactor:
    """Masks known secret values, token-looking parameters, phone numbers and chat ids in text."""

    def __init__(self, known: Iterable[str] = ()) -> None:
        self.known = sorted({k for k in known if len(k) >= MIN_KNOWN_SECRET}, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        """The text with every secret and personal number masked."""
        for value in self.known:
            if value in text:
                text = text.replace(value, SECRET)
        for pattern, replacement in _PATTERNS:
            text = pattern.sub(replacement, text)
        text = _SPACED_PHONE.sub(_mask_digits, text)
        return _DIGITS.sub(_mask_digits, text)


def install(env: Mapping[str, str], redactor: Redactor | None = None) -> Redactor:
    """Redact every log record of this process from now on; turn noisy libraries down."""
    redactor = redactor or Redactor(secrets_from_env(env))
    previous = logging.getLogRecordFactory()
    if getattr(previous, "pimms_redactor", None) is not None:
        previous = previous.pimms_previous  # type: ignore[attr-defined]

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: leave it to logging's own error report
            return record
        record.msg, record.args = redactor(message), None
        return record

    factory.pimms_redactor = redactor  # type: ignore[attr-defined]
    factory.pimms_previous = previous  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)
    _redact_exceptions(redactor)
    for name, level in NOISY_LOGGERS.items():
        logging.getLogger(name).setLevel(level)
    return redactor


def _redact_exceptions(redactor: Redactor) -> None:
    """Tracebacks are formatted late, by each handler's formatter: redact them there."""
    original = getattr(logging.Formatter.formatException, "pimms_original", logging.Formatter.formatException)

    def format_exception(self: logging.Formatter, ei: Any) -> str:
        return redactor(original(self, ei))

    format_exception.pimms_original = original  # type: ignore[attr-defined]
    logging.Formatter.formatException = format_exception  # type: ignore[method-assign]
