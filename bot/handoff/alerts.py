"""Mediators' Telegram group alert for a new (or newly urgent) hand-off: nothing personal but a masked number.

The alert says why the resident waits, the theme, the channel, the masked number, the wait so far and an
opaque console link. Never the message text, never a full number or chat id.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol

from bot.handoff.models import Handoff
from bot.handoff.triage import Triage, why_label
from bot.identity import address_of, channel_of
from bot.phone import mask
from bot.settings import Settings

log = logging.getLogger(__name__)
CHANNELS = {"sms": "SMS", "telegram": "Telegram", "callback": "Web"}


class GroupSender(Protocol):
    """Posts a text to a Telegram chat (``TelegramBotSender`` implements it)."""

    async def send_telegram(self, chat_id: str, text: str) -> object:
        """Send one message."""


def masked_contact(sender_id: str) -> str:
    """``SMS +33 6 ** ** ** 78``; ``Telegram`` alone (a chat id is not shown); ``Web``."""
    channel = channel_of(sender_id)
    if channel == "sms":
        return f"SMS {mask(address_of(sender_id))}"
    return CHANNELS[channel]


def wait_text(seconds: float) -> str:
    """``"à l'instant"``, ``"12 min"``, ``"1 h 05"``."""
    minutes = max(0, int(seconds // 60))
    if minutes == 0:
        return "à l'instant"
    return f"{minutes} min" if minutes < 60 else f"{minutes // 60} h {minutes % 60:02d}"


def alert_text(record: Handoff, triage: Triage, link: str, now: float) -> str:
    """The group message (French, for mediators)."""
    head = "🔴 URGENT" if record.urgent else "🔔 Nouvelle demande"
    lines = [
        f"{head} : {why_label(record.reason.value, triage.danger)}",
        f"Thème : {', '.join(triage.themes) if triage.themes else 'non précisé'}",
        f"Canal : {masked_contact(record.sender_id)}",
        f"Attente : {wait_text(now - record.requested_at)}",
        f"Ouvrir : {link}",
    ]
    return "\n".join(lines)


@dataclass
class MediatorAlerts:
    """Sends alerts to the configured group; a failure is logged (the console still shows the queue)."""

    sender: GroupSender
    chat_id: str
    console_url: str

    def link(self, token: str) -> str:
        """Console address of a conversation, by its opaque token."""
        return f"{self.console_url}/o/{token}"

    async def notify(self, record: Handoff, triage: Triage, token: str, now: float) -> bool:
        """Post one alert; False when Telegram did not take it."""
        try:
            await self.sender.send_telegram(self.chat_id, alert_text(record, triage, self.link(token), now))
        except Exception as exc:  # the queue in the console is the fallback; never block the resident
            log.warning("mediators' alert not delivered: %s", type(exc).__name__)
            return False
        return True


def build_alerts(settings: Settings) -> MediatorAlerts | None:
    """Alerts to TELEGRAM_MEDIATOR_CHAT_ID through the Telegram bot, when both are configured."""
    if not (settings.telegram.bot_token and settings.telegram.mediator_chat_id):
        return None
    from bot.outbound.telegram_sender import TelegramBotSender

    sender = TelegramBotSender(settings.telegram.bot_token, settings.telegram.api_base_url)
    return MediatorAlerts(sender, settings.telegram.mediator_chat_id, settings.console_url)
