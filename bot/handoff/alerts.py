"""Mediators' Telegram group alert for a new (or newly urgent) hand-off: that there is one, and a link.

Telegram cloud chats are not end-to-end encrypted, are kept indefinitely and are read by every member of the
group, former staff included. The alert therefore says only "Nouvelle demande (urgente) : <lien>": no danger
category, no theme, no channel, no digit of the number, no time (issue 22, M8; docs/privacy.md). Everything
else is in the console, behind the login, once the opaque link is opened.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol

from bot.handoff.models import Handoff
from bot.handoff.triage import Triage
from bot.settings import Settings

log = logging.getLogger(__name__)


class GroupSender(Protocol):
    """Posts a text to a Telegram chat (``TelegramBotSender`` implements it)."""

    async def send_telegram(self, chat_id: str, text: str) -> object:
        """Send one message."""


def alert_text(record: Handoff, link: str) -> str:
    """The group message (French, for mediators): urgent or not, and the console link; nothing else."""
    return f"Nouvelle demande (urgente) : {link}" if record.urgent else f"Nouvelle demande : {link}"


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
        """Post one alert; False when Telegram did not take it (``triage`` and ``now`` stay in the console)."""
        try:
            await self.sender.send_telegram(self.chat_id, alert_text(record, self.link(token)))
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
