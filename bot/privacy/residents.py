"""Turn what an operator types (a phone number, a Telegram chat id, a sender id) into a sender id."""

from __future__ import annotations

from bot.identity import REGISTRY, InvalidAddress, claimed_by, sender_id_for_sms, sender_id_for_telegram


def resolve(raw: str) -> str:
    """``"06 12 34 56 78"`` -> ``sms-33612345678``; ``"123456"`` or ``"tg-123456"`` -> ``tg-123456``.

    Phone numbers start with ``+``, ``00`` or ``0``; other bare integers are Telegram chat ids. Sender ids
    (``sms-...``, ``tg-...``, or the free text of a REST client given as ``rest:<id>``) are taken as they are.
    """
    text = raw.strip()
    if not text:
        raise InvalidAddress("identifiant vide")
    claimed = claimed_by(text)
    if claimed is not None:
        if not claimed.owns(text):
            raise InvalidAddress("identifiant mal formé")
        return text
    for kind in REGISTRY:
        alias = next((a for a in kind.aliases if text.startswith(a)), None)
        if alias is not None:
            return kind.sender_id(text[len(alias) :])
    compact = text.replace(" ", "").replace(".", "")
    if compact.startswith(("+", "0")):
        return sender_id_for_sms(compact)
    if compact.lstrip("-").isdigit():
        return sender_id_for_telegram(compact)
    raise InvalidAddress("ni un numéro, ni un identifiant Telegram, ni un identifiant (rest:...)")
