"""Telegram channel: secret-token webhook, idempotent on update_id, inline keyboards, PTB Bot."""

from __future__ import annotations

import contextlib
import json
import logging
import time
from typing import Any

from rasa.core.channels.channel import UserMessage
from redis.exceptions import RedisError
from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse
from telegram import Update

from bot import notices
from bot.danger import detect
from bot.dedup import first_delivery, forget_delivery
from bot.identity import sender_id_for_telegram
from bot.inbound.messages import SLOWED_DOWN
from bot.outbound import TelegramBotSender
from bot.outbound.router import describe
from bot.outbound.telegram_sender import callback_data
from bot.ratelimit import InboundRateLimiter
from bot.settings import Settings
from bot.sms import ButtonMemory
from channels.common import (
    MAX_TEXT_CHARS,
    OnNewMessage,
    RouterInputChannel,
    RouterOutputChannel,
    user_text,
)
from channels.security import is_valid_telegram_secret

log = logging.getLogger(__name__)
WEBHOOK_PATH = "/webhooks/telegram/webhook"
START_TEXT = "bonjour"
# Rasa's built-in intents that reset or rewind a conversation: never accepted from a button.
RESERVED_PAYLOADS = frozenset({"/restart", "/session_start", "/back"})


class TelegramOutput(RouterOutputChannel):
    """Rasa output channel for Telegram (sendMessage through the outbound router)."""

    channel_name = "telegram"


class TelegramInput(RouterInputChannel):
    """``/webhooks/telegram/webhook``: Telegram Bot API updates."""

    output_class = TelegramOutput

    @classmethod
    def configured(cls, settings: Settings) -> bool:
        """A bot token and a webhook secret."""
        return settings.telegram.enabled

    async def _receive(self, request: Request, on_new_message: OnNewMessage) -> HTTPResponse:
        secret = request.headers.get("X-Telegram-Bot-Api-Secret-Token")
        if not is_valid_telegram_secret(self.settings.telegram.webhook_secret, secret):
            log.warning("telegram webhook: wrong or missing secret token")
            return response.text("forbidden", status=403)
        body = request.body or b""
        try:
            data = json.loads(body)
        except (UnicodeDecodeError, ValueError):
            log.warning("telegram webhook: body is not JSON")
            return response.text("bad request", status=400)
        update_id = data.get("update_id") if isinstance(data, dict) else None
        if not isinstance(update_id, int) or isinstance(update_id, bool):
            log.warning("telegram webhook: no update_id")
            return response.text("bad request", status=400)
        try:
            update = Update.de_json(data, None)
        except Exception as exc:  # malformed but authenticated: acknowledge so Telegram stops retrying
            log.warning("telegram webhook: update %s unreadable (%s)", update_id, type(exc).__name__)
            return response.json({})
        chat = update.effective_chat or update.effective_user
        if chat is None:
            log.info("telegram update %s of another kind ignored", update_id)
            return response.json({})
        if self.spool().pending():  # behind the updates already waiting there, in order
            return self._spooled(data, chat.id, on_new_message)
        try:
            if not await first_delivery(self.runtime.redis, "telegram", str(update_id)):
                log.info("telegram webhook: duplicate update %s ignored", update_id)
                return response.json({})
            # kept in Redis before Telegram gets its answer: a stop or a crash loses nothing
            await self.inbound(on_new_message).add(sender_id_for_telegram(chat.id), {"update": data}, time.time())
        except Exception as exc:
            log.warning("telegram webhook: update %s not journalled (%s)", update_id, type(exc).__name__)
            with contextlib.suppress(Exception):
                await forget_delivery(self.runtime.redis, "telegram", str(update_id))
            if isinstance(exc, RedisError):
                return self._spooled(data, chat.id, on_new_message)
            return response.text("temporarily unavailable", status=503)
        return response.json({})

    def _spooled(self, data: dict[str, Any], chat_id: int, on_new_message: OnNewMessage) -> HTTPResponse:
        """Kept on disk; the person is told once, in the webhook answer, that the service is slowed down."""
        if not self.spool_webhook({"update": data}, on_new_message):
            return response.text("temporarily unavailable", status=503)
        log.warning("telegram update kept in the local spool (Redis unavailable)")
        if not self.spool().tell_once(str(chat_id)):
            return response.json({})
        return response.json({"method": "sendMessage", "chat_id": chat_id, "text": SLOWED_DOWN})

    async def _replay(self, record: dict[str, Any], on_new_message: OnNewMessage) -> None:
        data = record["update"]
        update = Update.de_json(data, None)
        chat = update.effective_chat or update.effective_user
        if chat is None:
            return
        await first_delivery(self.runtime.redis, "telegram", str(data.get("update_id")))
        await self.inbound(on_new_message).add(sender_id_for_telegram(chat.id), {"update": data}, time.time())

    async def _turn(self, sender_id: str, entries: list[dict[str, Any]], on_new_message: OnNewMessage) -> None:
        while entries:  # in arrival order, one turn each; a retry after a failure skips those done
            await self._handle(Update.de_json(entries[0]["update"], None), on_new_message)
            entries.pop(0)

    async def _handle(self, update: Update, on_new_message: OnNewMessage) -> None:
        if update.callback_query is not None:
            await self._handle_callback(update, on_new_message)
            return
        if update.edited_message is not None:
            await self._reply_once(update.edited_message.chat_id, notices.EDITED)
            return
        message = update.message
        if message is None:
            log.info("telegram update %s of another kind ignored", update.update_id)
            return
        sender_id = sender_id_for_telegram(message.chat_id)
        if not await self._admit(sender_id) and detect(message.text) is None:  # danger passes the limit
            return
        if message.text is None:
            await self._send(sender_id, notices.MEDIA)
            return
        command = message.text.strip().split("@", 1)[0].lower()
        if command in ("/aide", "/help"):
            await self._send(sender_id, notices.help_telegram(self.network))
            return
        text = START_TEXT if command == "/start" else user_text(message.text)
        if not text:
            return
        if len(text) > MAX_TEXT_CHARS:
            await self._send(sender_id, notices.TOO_LONG)
            return
        await self._dispatch(sender_id, text, {"message_id": message.message_id}, on_new_message)

    async def _handle_callback(self, update: Update, on_new_message: OnNewMessage) -> None:
        query = update.callback_query
        assert query is not None
        bot = self._bot()
        try:
            await bot.answer_callback_query(query.id)
        except Exception as exc:
            log.warning("answerCallbackQuery failed: %s", type(exc).__name__)
        chat_id = query.message.chat.id if query.message is not None else query.from_user.id
        sender_id = sender_id_for_telegram(chat_id)
        if query.message is not None:
            try:  # remove the keyboard so a second tap cannot answer twice
                await bot.edit_message_reply_markup(chat_id=chat_id, message_id=query.message.message_id)
            except Exception as exc:
                log.info("editMessageReplyMarkup failed: %s", type(exc).__name__)
        if not query.data or not await self._admit(sender_id):
            return
        # Only a tap on a button we sent to this chat counts; anything else is forged or stale and never
        # reaches Rasa raw (a forged "/restart" would otherwise un-pause a conversation held by a mediator).
        payload = await ButtonMemory(self.runtime.redis).take_callback(sender_id, query.data, callback_data)
        if payload is None or payload.split("{", 1)[0].strip() in RESERVED_PAYLOADS:
            log.warning("telegram callback from %s matches no button sent: ignored", describe(sender_id))
            return
        await self._dispatch(sender_id, payload, {"callback_query": True}, on_new_message)

    def _bot(self) -> Any:
        sender = self.router().telegram
        if isinstance(sender, TelegramBotSender):
            return sender.get_bot()
        tg = self.settings.telegram
        return TelegramBotSender(tg.bot_token, tg.api_base_url).get_bot()

    async def _admit(self, sender_id: str) -> bool:
        verdict = await InboundRateLimiter(
            self.runtime.redis, self.settings.rate_limit_count, self.settings.rate_limit_window
        ).check(sender_id)
        if verdict == "notice":
            await self._send(sender_id, notices.RATE_LIMITED)
        if verdict != "ok":
            log.warning("telegram %s rate limited (%s)", describe(sender_id), verdict)
        return verdict == "ok"

    async def _reply_once(self, chat_id: int, text: str) -> None:
        sender_id = sender_id_for_telegram(chat_id)
        if await self._admit(sender_id):
            await self._send(sender_id, text)

    async def _send(self, sender_id: str, text: str) -> None:
        await TelegramOutput(self.router).send_text_message(sender_id, text)

    async def _dispatch(self, sender_id: str, text: str, extra: dict[str, Any], on_new_message: OnNewMessage) -> None:
        metadata = {"channel": "telegram", **extra}
        message = UserMessage(
            text, TelegramOutput(self.router), sender_id, input_channel=self.name(), metadata=metadata
        )
        await self.deliver_turn(message, on_new_message)
