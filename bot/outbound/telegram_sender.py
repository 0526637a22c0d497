"""Telegram through python-telegram-bot's ``Bot`` (created lazily inside the running loop)."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup

from bot.identity import mask_chat_id

log = logging.getLogger(__name__)
MAX_TEXT = 4096
MAX_CALLBACK_BYTES = 64


def bot_base_url(api_base_url: str) -> str:
    """PTB's ``base_url`` (token appended by PTB) from ``TELEGRAM_API_BASE_URL``."""
    base = (api_base_url or "https://api.telegram.org").rstrip("/")
    return base if base.endswith("/bot") else base + "/bot"


def inline_keyboard(buttons: list[dict[str, Any]]) -> InlineKeyboardMarkup:
    """One button per row; a payload too long for callback_data falls back to the title."""
    rows = [
        [InlineKeyboardButton(str(b.get("title", ""))[:64] or "?", callback_data=callback_data(b))] for b in buttons
    ]
    return InlineKeyboardMarkup(rows)


def callback_data(button: dict[str, Any]) -> str:
    """What Telegram sends back when the button is tapped: its payload, or its title when too long."""
    title = str(button.get("title", ""))[:64] or "?"
    payload = str(button.get("payload") or title)
    if len(payload.encode()) > MAX_CALLBACK_BYTES:
        payload = title.encode()[:MAX_CALLBACK_BYTES].decode(errors="ignore")
    return payload


class TelegramBotSender:
    """``TelegramSender`` over ``telegram.Bot.send_message``."""

    def __init__(self, token: str, api_base_url: str = "") -> None:
        self._token = token
        self._base_url = bot_base_url(api_base_url)
        self._bot: Bot | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def get_bot(self) -> Bot:
        """The Bot for the running loop (no getMe: ``initialize`` is never needed to send)."""
        loop = asyncio.get_running_loop()
        if self._bot is None or self._loop is not loop:
            self._bot = Bot(self._token, base_url=self._base_url)
            self._loop = loop
        return self._bot

    async def send_telegram(self, chat_id: str, text: str, buttons: list[dict[str, Any]] | None = None) -> list[str]:
        """Send text (split at 4096 characters), the keyboard on the last part; Telegram's message ids."""
        bot = self.get_bot()
        parts = [text[i : i + MAX_TEXT] for i in range(0, len(text), MAX_TEXT)] or [""]
        ids = []
        for index, part in enumerate(parts):
            markup = inline_keyboard(buttons) if buttons and index == len(parts) - 1 else None
            sent = await bot.send_message(chat_id=int(chat_id), text=part or "...", reply_markup=markup)
            ids.append(str(sent.message_id))
        log.info("telegram message sent to chat %s", mask_chat_id(chat_id))
        return ids
