"""Phone numbers: E.164 normalisation (phonenumbers) and masking for logs."""

from __future__ import annotations

import re

import phonenumbers

_DIGIT = re.compile(r"\d")


def normalize_e164(raw: str, default_region: str = "FR") -> str | None:
    """``"06 12 34 56 78"`` -> ``"+33612345678"``; None when it is not a possible number."""
    if not raw or len(raw) > 40:
        return None
    candidate = raw.strip()
    if candidate.startswith("00"):
        candidate = "+" + candidate[2:]
    try:
        number = phonenumbers.parse(candidate, default_region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def mask(raw: str) -> str:
    """Mask a number for logs: ``"+33612345678"`` -> ``"+33 6 ** ** ** 78"``."""
    e164 = normalize_e164(raw)
    if e164 is None:
        return "***"
    number = phonenumbers.parse(e164, None)
    formatted = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    code, _, national = formatted.partition(" ")
    total = len(_DIGIT.findall(national))
    out: list[str] = []
    seen = 0
    for char in national:
        if char.isdigit():
            seen += 1
            keep = seen == 1 or seen > total - 2
            out.append(char if keep else "*")
        else:
            out.append(char)
    return f"{code} {''.join(out)}"
