"""Turn what an operator types (a phone number, a Telegram chat id, a sender id) into a sender id."""

from __future__ import annotations

from bot.identity import InvalidAddress, channel_of, sender_id_for_sms, sender_id_for_telegram


def resolve(raw: str) -> str:
    """``"06 12 34 56 78"`` -> ``sms-33612345678``; ``"123456"`` or ``"tg-123456"`` -> ``tg-123456``.

    Phone numbers start with ``+``, ``00`` or ``0``; other bare integers are Telegram chat ids. Sender ids
    (``sms-...``, ``tg-...``, or the free text of a REST client given as ``rest:<id>``) are taken as they are.
    """
    text = raw.strip()
    if not text:
        raise InvalidAddress("identifiant vide")
    if text.startswith("rest:"):
        return text[len("rest:") :]
    if text.startswith(("sms-", "tg-")):
        if channel_of(text) == "callback":
            raise InvalidAddress("identifiant mal formé")
        return text
    if text.startswith(("telegram:", "tg:")):
        return sender_id_for_telegram(text.split(":", 1)[1])
    compact = text.replace(" ", "").replace(".", "")
    if compact.startswith(("+", "0")):
        return sender_id_for_sms(compact)
    if compact.lstrip("-").isdigit():
        return sender_id_for_telegram(compact)
    raise InvalidAddress("ni un numéro, ni un identifiant Telegram, ni un identifiant (rest:...)")
