"""A provider failure as a short text safe to store and show (status, code, message; numbers masked)."""

from __future__ import annotations

import re

_NUMBER = re.compile(r"\+?\d[\d .-]{5,}\d")


def scrub(text: str) -> str:
    """Mask anything that looks like a phone number or a chat id."""
    return _NUMBER.sub("[numéro]", text)


def provider_detail(exc: BaseException) -> str:
    """``Twilio 400 code 21610: ...``, ``Telegram: Forbidden: bot was blocked``, ``ConnectError``..."""
    name = type(exc).__name__
    status, code, message = getattr(exc, "status", None), getattr(exc, "code", None), ""
    if name == "TwilioRestException":
        message = str(getattr(exc, "msg", "") or "")
        head = f"Twilio {status}" + (f" code {code}" if code else "")
    elif type(exc).__module__.startswith("telegram"):
        message = str(getattr(exc, "message", "") or exc)
        head = f"Telegram {name}"
    else:
        message = str(exc)
        head = name
    return scrub(f"{head}: {message}" if message else head)[:200]
