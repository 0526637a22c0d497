"""Telegram channel: secret-token webhook, idempotent on update_id, inline keyboards, PTB Bot."""

from __future__ import annotations

import asyncio
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
from telegram import Chat, Update

from bot import identity, notices
from bot.dedup import Delivery, claim_delivery, delivery_key, forget_delivery, mark_delivered
from bot.identity import describe, sender_id_for_telegram
from bot.inbound.admission import TELEGRAM, Accept, Inbound, emergency_answer, in_message_language
from bot.inbound.messages import SLOWED_DOWN
from bot.outbound import DeliveryError, TelegramBotSender, TelegramTransport, UndeliverableError
from bot.outbound.telegram_sender import callback_data
from bot.redis_connect import ReplicationUnknown
from bot.settings import Settings
from bot.sms import ButtonMemory
from channels.base import REDIS_DEADLINE, OnNewMessage, RouterInputChannel
from channels.output import RouterOutputChannel
from channels.security import is_valid_telegram_secret

log = logging.getLogger(__name__)
WEBHOOK_PATH = "/webhooks/telegram/webhook"
# Rasa's built-in intents that reset or rewind a conversation: never accepted from a button.
RESERVED_PAYLOADS = frozenset({"/restart", "/session_start", "/back"})


def message_text(update: Update) -> str | None:
    """What the resident wrote: a message's text, its photo caption, or the text of an edited message."""
    message = update.message or update.edited_message
    if message is None:
        return None
    return message.text if message.text is not None else message.caption


class TelegramOutput(RouterOutputChannel):
    """Rasa output channel for Telegram (sendMessage through the outbound router)."""

    channel_name = "telegram"


class TelegramInput(RouterInputChannel):
    """``/webhooks/telegram/webhook``: Telegram Bot API updates."""

    output_class = TelegramOutput
    admission_rules = TELEGRAM

    def help_text(self) -> str:
        """The answer to /aide and /help."""
        return notices.help_telegram(self.network)

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
        if not self._resident_chat(update):
            log.info("telegram update %s from a chat that is not a resident's ignored", update_id)
            return response.json({})
        if self.spool().pending():  # behind the updates already waiting there, in order
            return self._spooled(data, update, chat.id, on_new_message)
        try:
            if not await asyncio.wait_for(self._journal(update_id, chat.id, data, on_new_message), REDIS_DEADLINE):
                return response.text("being handled, retry later", status=503)  # Telegram delivers it again
        except Exception as exc:
            log.warning("telegram webhook: update %s not journalled (%s)", update_id, type(exc).__name__)
            if isinstance(exc, ReplicationUnknown):  # journalled, maybe lost by a failover: Telegram's retry decides
                return response.text("temporarily unavailable", status=503)
            with contextlib.suppress(Exception):
                await asyncio.wait_for(forget_delivery(self.runtime.redis, "telegram", str(update_id)), 1.0)
            if isinstance(exc, (RedisError, asyncio.TimeoutError)):
                return self._spooled(data, update, chat.id, on_new_message)
            return response.text("temporarily unavailable", status=503)
        return response.json({})

    def _resident_chat(self, update: Update) -> bool:
        """Only private chats are residents: never a group, a supergroup, a channel, nor the mediators' group."""
        chat = update.effective_chat
        if chat is None:  # an update about a user only (no chat): private by nature
            return True
        mediators = self.settings.telegram.mediator_chat_id
        return chat.type == Chat.PRIVATE and not (mediators and str(chat.id) == mediators)

    async def _journal(self, update_id: int, chat_id: int, data: dict[str, Any], on_new_message: OnNewMessage) -> bool:
        """Journal a first delivery, ignore a retry of a handled one; False while another request handles it."""
        claim = await claim_delivery(self.runtime.redis, "telegram", str(update_id))
        if claim is Delivery.DONE:
            log.info("telegram webhook: duplicate update %s ignored", update_id)
        elif claim is Delivery.NEW:
            # kept in Redis before Telegram gets its answer (and marked done with it): a crash loses nothing
            delivered = delivery_key("telegram", str(update_id))
            entry = {"update": data}
            await self.inbound(on_new_message).add(sender_id_for_telegram(chat_id), entry, time.time(), delivered)
        return claim is not Delivery.IN_PROGRESS

    def _spooled(
        self, data: dict[str, Any], update: Update, chat_id: int, on_new_message: OnNewMessage
    ) -> HTTPResponse:
        """Kept on disk. A danger message gets the emergency texts in the webhook answer, every time (static
        texts, no Redis); otherwise the person is told once that the service is slowed down."""
        emergency = emergency_answer(message_text(update))
        record: dict[str, Any] = {"update": data}
        if emergency:
            record["danger_answered"] = True  # the replay raises the urgent hand-off without saying them again
        if not self.spool_webhook(record, on_new_message) and not emergency:
            return response.text("temporarily unavailable", status=503)
        log.warning("telegram update kept in the local spool (Redis unavailable)")
        if emergency:
            return response.json({"method": "sendMessage", "chat_id": chat_id, "text": "\n\n".join(emergency)})
        if not self.spool().tell_once(str(chat_id)):
            return response.json({})
        slowed = in_message_language(SLOWED_DOWN, message_text(update))
        return response.json({"method": "sendMessage", "chat_id": chat_id, "text": slowed})

    async def _replay(self, record: dict[str, Any], on_new_message: OnNewMessage) -> None:
        data = record["update"]
        update = Update.de_json(data, None)
        chat = update.effective_chat or update.effective_user
        if chat is None:
            return
        update_id = str(data.get("update_id"))
        if await claim_delivery(self.runtime.redis, "telegram", update_id) is Delivery.DONE:
            log.info("telegram webhook: spooled update %s was handled before the outage", update_id)
            return
        await mark_delivered(self.runtime.redis, "telegram", update_id)  # a late retry of it is a duplicate
        entry = {"update": data, **({"danger_answered": True} if record.get("danger_answered") else {})}
        await self.inbound(on_new_message).add(sender_id_for_telegram(chat.id), entry, time.time())

    async def _turn(self, sender_id: str, entries: list[dict[str, Any]], on_new_message: OnNewMessage) -> None:
        while entries:  # in arrival order, one turn each; a retry after a failure skips those done
            answered = bool(entries[0].get("danger_answered"))
            await self._handle(Update.de_json(entries[0]["update"], None), on_new_message, answered)
            entries.pop(0)

    async def _handle(self, update: Update, on_new_message: OnNewMessage, answered: bool = False) -> None:
        """Apply the admission decision (bot/inbound/admission.py) to a message, its caption or its edit."""
        if update.callback_query is not None:
            await self._handle_callback(update, on_new_message)
            return
        message = update.message or update.edited_message
        if message is None or not self._resident_chat(update):
            log.info("telegram update %s of another kind ignored", update.update_id)
            return
        sender_id = sender_id_for_telegram(message.chat_id)
        inbound = Inbound(
            sender_id, message_text(update), has_media=message.text is None, edited=update.edited_message is not None
        )
        decision = await self.admission().check(inbound)
        for reply in decision.replies:  # in order, before the turn
            await self._send(sender_id, reply.text, force=reply.force)
        if not isinstance(decision, Accept) or not decision.text:
            return
        extra: dict[str, Any] = {"message_id": message.message_id, **decision.metadata()}
        if answered and decision.danger:  # the emergency texts were in the webhook's answer (Redis was down)
            extra["danger_answered"] = True
        await self._dispatch(sender_id, decision.text, extra, on_new_message)
        await self.admission().settle(sender_id, decision)

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
        if not query.data:
            return
        decision = await self.admission().check_tap(sender_id)
        for reply in decision.replies:
            await self._send(sender_id, reply.text, force=reply.force)
        if not isinstance(decision, Accept):
            return
        # Only a tap on a button we sent to this chat counts; anything else is forged or stale and never
        # reaches Rasa raw (a forged "/restart" would otherwise un-pause a conversation held by a mediator).
        payload = await ButtonMemory(self.runtime.redis).take_callback(sender_id, query.data, callback_data)
        if payload is None or payload.split("{", 1)[0].strip() in RESERVED_PAYLOADS:
            log.warning("telegram callback from %s matches no button sent: ignored", describe(sender_id))
            return
        await self._dispatch(sender_id, payload, {"callback_query": True}, on_new_message)

    def _bot(self) -> Any:
        transport = self.router().transports.get(identity.TELEGRAM.name)
        if isinstance(transport, TelegramTransport) and isinstance(transport.sender, TelegramBotSender):
            return transport.sender.get_bot()
        tg = self.settings.telegram
        return TelegramBotSender(tg.bot_token, tg.api_base_url).get_bot()

    async def _send(self, sender_id: str, text: str, force: bool = False) -> None:
        try:
            await self.router().send(sender_id, text, force=force)
        except (DeliveryError, UndeliverableError) as exc:
            log.error("telegram: message to %s not delivered: %s", describe(sender_id), exc)

    async def _dispatch(self, sender_id: str, text: str, extra: dict[str, Any], on_new_message: OnNewMessage) -> None:
        metadata = {"channel": "telegram", **extra}
        # A message (not a button tap, whose payload may repeat) has an id: a retried turn sends its answers once.
        sent = (
            self.runtime.replies.of(sender_id, [{"text": text, **metadata}], self.runtime.redis)
            if "message_id" in extra
            else None
        )
        message = UserMessage(
            text, TelegramOutput(self.router, sent), sender_id, input_channel=self.name(), metadata=metadata
        )
        await self.deliver_turn(message, on_new_message)
