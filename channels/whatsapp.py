"""WhatsApp channel over Twilio (``/webhooks/whatsapp/webhook``, Rasa's naming): the SMS connector's signed,
idempotent, spooled path with ``whatsapp:+<E.164>`` addresses. Each message opens the 24-hour
customer-service window (``bot/whatsapp/window.py``); files sent are noted for the mediators, never read."""

from __future__ import annotations

import logging
from typing import Any

from rasa.core.channels.channel import UserMessage

from bot import identity
from bot.clock import system_clock
from bot.inbound.admission import WHATSAPP, Inbound
from bot.outbound.whatsapp_sender import WHATSAPP_PREFIX
from bot.phone import normalize_e164
from bot.settings import Settings
from bot.sms import ButtonMemory
from bot.whatsapp import messages
from bot.whatsapp.window import ServiceWindow
from channels.base import OnNewMessage
from channels.output import RouterOutputChannel
from channels.security import FormParams
from channels.twilio_sms import TwilioSmsInput, burst_flags

log = logging.getLogger(__name__)
WEBHOOK_PATH = "/webhooks/whatsapp/webhook"
MAX_MEDIA = 10  # Twilio sends at most 10 files with one message


class WhatsAppOutput(RouterOutputChannel):
    """Rasa output channel for WhatsApp (Twilio REST through the outbound router)."""

    channel_name = "whatsapp"


class WhatsAppInput(TwilioSmsInput):
    """``/webhooks/whatsapp/webhook``: Twilio inbound WhatsApp messages; ``/webhooks/whatsapp/status``: reports."""

    output_class = WhatsAppOutput
    admission_rules = WHATSAPP

    def help_text(self) -> str:
        """The answer to AIDE."""
        return messages.help_text(self.network)

    @classmethod
    def configured(cls, settings: Settings) -> bool:
        """The Twilio account and a WhatsApp sender (TWILIO_WHATSAPP_FROM); the public address Twilio signs."""
        if not settings.twilio.whatsapp_enabled:
            return False
        if not settings.public_base_url:
            raise ValueError("the WhatsApp channel needs PUBLIC_BASE_URL to check Twilio signatures")
        return True

    def _address(self, params: FormParams) -> str | None:
        """``whatsapp:+33612345678`` -> ``+33612345678`` (None for anything else)."""
        sender = params.first("From").strip()
        if not sender.startswith(WHATSAPP_PREFIX):
            return None
        return normalize_e164(sender.removeprefix(WHATSAPP_PREFIX))

    def _sender_id(self, e164: str) -> str:
        return identity.WHATSAPP.sender_id(e164)

    async def _inbound(self, params: FormParams, sender_id: str) -> Inbound:
        """Any message opens the 24-hour window (a STOP too: its confirmation must leave)."""
        await ServiceWindow(self.runtime.redis, system_clock()).opened(sender_id)
        count = _media_count(params)
        kinds = [params.first(f"MediaContentType{i}") for i in range(min(count, MAX_MEDIA))]
        note = messages.media_note(kinds) if count else ""
        return Inbound(sender_id, params.first("Body"), has_media=count > 0, media_note=note)

    def _reported_state(self, state: str) -> str:
        """WhatsApp also reports ``read``: the message was delivered."""
        return "delivered" if state.strip().lower() == "read" else state

    async def _turn(self, sender_id: str, entries: list[dict[str, Any]], on_new_message: OnNewMessage) -> None:
        """Files noted for the transcript are recorded on their own; the texts of the burst make one turn."""
        notes = [entry for entry in entries if entry.get("metadata", {}).get("record_only")]
        texts = [entry for entry in entries if entry not in notes]
        for entry in notes:
            await self.deliver_turn(self._message(sender_id, [entry], ""), on_new_message)
        for entry in texts:  # a file sent with text: the transcript shows the file, the turn reads the text
            note = str(entry.get("metadata", {}).get("media_note") or "")
            if note:
                noted = {"text": note, "metadata": {**entry.get("metadata", {}), "record_only": True}}
                await self.deliver_turn(self._message(sender_id, [noted], ""), on_new_message)
        if texts:
            text = " ".join(str(entry["text"]) for entry in texts)
            payload = await ButtonMemory(self.runtime.redis).resolve(sender_id, text)
            await self.deliver_turn(self._message(sender_id, texts, payload or text), on_new_message)

    def _message(self, sender_id: str, entries: list[dict[str, Any]], text: str) -> UserMessage:
        metadata = {**entries[-1].get("metadata", {}), "burst_size": len(entries)}
        metadata.update(burst_flags([entry.get("metadata", {}) for entry in entries]))
        body = text or " ".join(str(entry["text"]) for entry in entries)
        return UserMessage(body, WhatsAppOutput(self.router), sender_id, input_channel=self.name(), metadata=metadata)


def _media_count(params: FormParams) -> int:
    try:
        return max(0, int(params.first("NumMedia", "0").strip() or 0))
    except ValueError:
        return 0
