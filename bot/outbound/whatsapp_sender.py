"""WhatsApp through Twilio's Messages API (the SMS channel's account): free-form text within the 24-hour
window, an approved template (``ContentSid`` + ``ContentVariables``) after it. Addresses are
``whatsapp:+<E.164>``; delivery reports come to ``{PUBLIC_BASE_URL}/webhooks/whatsapp/status``."""

from __future__ import annotations

import logging

from bot.outbound.twilio_sender import SmsRejected, TwilioRestSender
from bot.phone import mask

log = logging.getLogger(__name__)
WHATSAPP_PREFIX = "whatsapp:"
MAX_BODY_CHARS = 1600  # Twilio's limit for one message body


def whatsapp_address(e164: str) -> str:
    """``"+33612345678"`` -> ``"whatsapp:+33612345678"``."""
    return e164 if e164.startswith(WHATSAPP_PREFIX) else WHATSAPP_PREFIX + e164


class TwilioWhatsAppSender(TwilioRestSender):
    """Sends WhatsApp messages from ``whatsapp_from`` (``whatsapp:+14155238886``)."""

    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        whatsapp_from: str,
        api_base_url: str = "",
        status_callback: str = "",
    ) -> None:
        super().__init__(account_sid, auth_token, whatsapp_address(whatsapp_from), "", api_base_url, status_callback)

    async def send_whatsapp(self, to: str, body: str) -> str:
        """A free-form message (the caller checked the window); Twilio's message sid."""
        return await self.send_sms(whatsapp_address(to), body[:MAX_BODY_CHARS])

    async def send_template(self, to: str, content_sid: str, content_variables: str) -> str:
        """An approved template by its content id, with its variables (JSON); Twilio's message sid."""
        client = self._get_client()
        kwargs = {"status_callback": self._status_callback} if self._status_callback else {}
        message = await client.messages.create_async(
            to=whatsapp_address(to),
            from_=self._from,
            content_sid=content_sid,
            content_variables=content_variables,
            **kwargs,
        )
        if message.status in ("failed", "undelivered") or message.error_code:
            raise SmsRejected(f"{message.status} code {message.error_code}: {message.error_message or ''}".strip())
        log.info("whatsapp template sent to %s sid=%s", mask(to.removeprefix(WHATSAPP_PREFIX)), message.sid)
        return str(message.sid or "")
