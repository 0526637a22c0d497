"""Webhook authentication, pure functions: Twilio signatures and the Telegram secret token."""

from __future__ import annotations

import hmac
from collections.abc import Iterable

from twilio.request_validator import RequestValidator


class FormParams(dict[str, list[str]]):
    """Form fields with repeated keys, in the shape RequestValidator understands (``getall``)."""

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[str, str]]) -> FormParams:
        """Build from ``parse_qsl`` pairs."""
        params = cls()
        for key, value in pairs:
            params.setdefault(key, []).append(value)
        return params

    def getall(self, key: str) -> list[str]:
        """Every value of a field."""
        return self[key]

    def first(self, key: str, default: str = "") -> str:
        """The first value of a field."""
        values = self.get(key)
        return values[0] if values else default


def public_url(public_base_url: str, path: str, query_string: str = "") -> str:
    """The exact URL Twilio called: configured public base + request path (+ query string)."""
    url = public_base_url.rstrip("/") + "/" + path.lstrip("/")
    return f"{url}?{query_string}" if query_string else url


def is_valid_twilio(auth_token: str, url: str, params: FormParams | dict[str, str], signature: str) -> bool:
    """Whether ``X-Twilio-Signature`` matches (RequestValidator: HMAC-SHA1, constant-time compare)."""
    if not auth_token or not signature:
        return False
    return bool(RequestValidator(auth_token).validate(url, params, signature))


def is_valid_telegram_secret(expected: str, received: str | None) -> bool:
    """Whether ``X-Telegram-Bot-Api-Secret-Token`` equals the configured secret (constant time)."""
    if not expected or received is None:
        return False
    return hmac.compare_digest(expected.encode(), received.encode())
