"""SMS channel over Twilio: signed webhooks, idempotent, opt-out aware, bursts merged, REST replies."""

from __future__ import annotations

import contextlib
import logging
import time
from typing import Any
from urllib.parse import parse_qsl
from xml.sax.saxutils import escape

from rasa.core.channels.channel import UserMessage
from redis.exceptions import RedisError
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import notices
from bot.activity.log import ActivityLog
from bot.danger import detect
from bot.dedup import first_delivery, forget_delivery
from bot.handoff.store import HandoffStore
from bot.identity import sender_id_for_sms
from bot.inbound.messages import SLOWED_DOWN
from bot.optout import OptOutStore, classify_keyword
from bot.outbound import OutboundRouter
from bot.outbound.status import SmsStatusReports
from bot.phone import mask, normalize_e164
from bot.ratelimit import InboundRateLimiter
from bot.settings import Settings
from bot.sms import ButtonMemory
from channels.common import (
    MAX_BODY_BYTES,
    MAX_TEXT_CHARS,
    OnNewMessage,
    RouterInputChannel,
    RouterOutputChannel,
    user_text,
)
from channels.limits import BodyTooLarge, read_capped
from channels.security import FormParams, is_valid_twilio, public_url

log = logging.getLogger(__name__)
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
WEBHOOK_PATH = "/webhooks/sms/webhook"


class SmsOutput(RouterOutputChannel):
    """Rasa output channel for SMS (Twilio REST through the outbound router)."""

    channel_name = "sms"


class TwilioSmsInput(RouterInputChannel):
    """``/webhooks/sms/webhook``: Twilio inbound SMS."""

    output_class = SmsOutput

    @classmethod
    def configured(cls, settings: Settings) -> bool:
        """Twilio credentials and a sender; the public address Twilio signs is required too."""
        if not settings.twilio.enabled:
            return False
        if not settings.public_base_url:
            raise ValueError("the SMS channel needs PUBLIC_BASE_URL to check Twilio signatures")
        return True

    def _signed(self, request: Request) -> FormParams | HTTPResponse:
        """The form Twilio posted, when its ``X-Twilio-Signature`` is valid for our public URL; else the error."""
        body = request.body or b""
        if len(body) > MAX_BODY_BYTES:
            log.warning("sms webhook: body too large (%d bytes)", len(body))
            return response.text("payload too large", status=413)
        try:
            params = FormParams.from_pairs(parse_qsl(body.decode("utf-8"), keep_blank_values=True, max_num_fields=200))
        except (UnicodeDecodeError, ValueError):
            log.warning("sms webhook: unreadable body")
            return response.text("bad request", status=400)
        url = public_url(self.settings.public_base_url, request.path, request.query_string)
        signature = request.headers.get("X-Twilio-Signature", "")
        if not is_valid_twilio(self.settings.twilio.auth_token, url, params, signature):
            log.warning("sms webhook: invalid or missing signature")
            return response.text("forbidden", status=403)
        return params

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        """The inbound webhook, plus ``POST /status``: Twilio's delivery reports of the SMS we sent."""
        bp = super().blueprint(on_new_message)

        @bp.route("/status", methods=["POST"], stream=True)
        async def status(request: Request) -> HTTPResponse:
            try:
                request.body = await read_capped(request, MAX_BODY_BYTES)
            except BodyTooLarge:
                return response.text("payload too large", status=413)
            return await self._status(request)

        return bp

    async def _status(self, request: Request) -> HTTPResponse:
        """A delivery report (``MessageStatus``, ``ErrorCode``): console state, dead letter when lost."""
        params = self._signed(request)
        if isinstance(params, HTTPResponse):
            return params
        sid = params.first("MessageSid") or params.first("SmsSid")
        state = params.first("MessageStatus") or params.first("SmsStatus")
        if not sid or not state:
            return response.text("", status=204)
        redis_client = self.runtime.redis
        try:
            part = await SmsStatusReports(redis_client).apply(sid, state, params.first("ErrorCode"))
            if part is not None and part.delivery_id:
                await HandoffStore(redis_client).publish("message", part.sender_id)  # the console shows it now
        except RedisError as exc:
            log.error("sms status %s not recorded: %s", state[:20], type(exc).__name__)
            return response.text("temporarily unavailable", status=503)
        return response.text("", status=204)

    async def _receive(self, request: Request, on_new_message: OnNewMessage) -> HTTPResponse:
        params = self._signed(request)
        if isinstance(params, HTTPResponse):
            return params
        sid, phone = params.first("MessageSid") or params.first("SmsSid"), params.first("From")
        e164 = normalize_e164(phone)
        if not sid or e164 is None:
            log.warning("sms webhook: signed request without MessageSid or valid From")
            return response.text(EMPTY_TWIML, content_type="text/xml")
        return await self._accept(params, e164, sid, on_new_message)

    async def _accept(
        self, params: FormParams, e164: str, sid: str, on_new_message: OnNewMessage, replay: bool = False
    ) -> HTTPResponse:
        """De-duplicate, then handle; while Redis does not answer, keep the SMS in the local spool."""
        if not replay and self.spool().pending():  # behind the SMS already waiting there, in order
            return self._spooled(params, e164, on_new_message)
        try:
            first = await first_delivery(self.runtime.redis, "twilio", sid)
        except RedisError:
            if replay:
                raise
            return self._spooled(params, e164, on_new_message)
        try:
            if first or replay:  # a replayed SMS may have set its key before Redis failed
                await self._handle(params, e164, sid, on_new_message)
            else:
                log.info("sms webhook: duplicate %s from %s ignored", sid, mask(e164))
        except Exception as exc:
            if replay:
                raise
            log.exception("sms webhook: failed for %s", mask(e164))
            with contextlib.suppress(Exception):  # Redis may be the failure: then nothing was recorded
                await forget_delivery(self.runtime.redis, "twilio", sid)
            if isinstance(exc, RedisError):
                return self._spooled(params, e164, on_new_message)
            return response.text("temporarily unavailable", status=503)
        return response.text(EMPTY_TWIML, content_type="text/xml")

    def _spooled(self, params: FormParams, e164: str, on_new_message: OnNewMessage) -> HTTPResponse:
        """Kept on disk; the resident is told once that the service is slowed down (TwiML reply)."""
        pairs = [[key, value] for key, values in params.items() for value in values]
        if not self.spool_webhook({"params": pairs}, on_new_message):
            return response.text("temporarily unavailable", status=503)
        log.warning("sms from %s kept in the local spool (Redis unavailable)", mask(e164))
        if not self.spool().tell_once(e164):
            return response.text(EMPTY_TWIML, content_type="text/xml")
        twiml = f'<?xml version="1.0" encoding="UTF-8"?><Response><Message>{escape(SLOWED_DOWN)}</Message></Response>'
        return response.text(twiml, content_type="text/xml")

    async def _replay(self, record: dict[str, Any], on_new_message: OnNewMessage) -> None:
        params = FormParams.from_pairs([(str(k), str(v)) for k, v in record["params"]])
        sid, e164 = params.first("MessageSid") or params.first("SmsSid"), normalize_e164(params.first("From"))
        if sid and e164:
            await self._accept(params, e164, sid, on_new_message, replay=True)

    async def _handle(self, params: FormParams, e164: str, sid: str, on_new_message: OnNewMessage) -> None:
        sender_id = sender_id_for_sms(e164)
        router, redis_client = self.router(), self.runtime.redis
        text = params.first("Body")
        optout = OptOutStore(
            redis_client, ActivityLog(redis_client, retention_days=self.settings.activity_retention_days)
        )
        keyword = classify_keyword(text)
        if keyword == "stop":  # before the rate limit: an opt-out is never dropped
            already = await optout.is_opted_out(sender_id)
            await optout.opt_out(sender_id)
            await self.inbound(on_new_message).discard(sender_id)
            log.info("sms opt-out from %s", mask(e164))
            if not already:  # one confirmation, however many STOP follow
                self._notify(sender_id, notices.SMS_STOPPED, force=True)
            return
        verdict = await InboundRateLimiter(
            redis_client, self.settings.rate_limit_count, self.settings.rate_limit_window
        ).check(sender_id)
        if verdict != "ok" and detect(text) is None:  # danger is answered even past the limit
            log.warning("sms from %s rate limited (%s)", mask(e164), verdict)
            if verdict == "notice":
                self._notify(sender_id, notices.RATE_LIMITED)
            return
        if keyword == "start":
            await optout.opt_in(sender_id)
            log.info("sms opt-in from %s", mask(e164))
            self._notify(sender_id, notices.SMS_RESTARTED, force=True)
            return
        if keyword == "help":
            self._notify(sender_id, notices.help_sms(self.network), force=True)
            return
        if keyword == "suggest_stop":  # a refusal in words never opts out; not sent once opted out
            self._notify(sender_id, notices.SMS_STOP_HINT)
            return
        if await optout.is_opted_out(sender_id) and not await self.privacy_gate().accepts_while_opted_out(
            sender_id, text
        ):
            log.info("sms from opted-out %s not processed", mask(e164))
            return
        media = params.first("NumMedia", "0").strip()
        if media not in ("", "0"):
            self._notify(sender_id, notices.MEDIA)
        cleaned = user_text(text)
        if not cleaned:
            if media in ("", "0"):
                self._notify(sender_id, notices.EMPTY)
            return
        if len(cleaned) > MAX_TEXT_CHARS:
            self._notify(sender_id, notices.TOO_LONG)
            return
        metadata = {"channel": "sms", "phone_masked": mask(e164), "message_sid": sid}
        await self._enqueue(sender_id, cleaned, metadata, router, on_new_message)

    def _notify(self, sender_id: str, text: str, force: bool = False) -> None:
        self.runtime.spawn(self.router().send(sender_id, text, force=force), "sms notice")

    async def _enqueue(
        self,
        sender_id: str,
        text: str,
        metadata: dict[str, Any],
        router: OutboundRouter,
        on_new_message: OnNewMessage,
    ) -> None:
        """Journal the SMS before Twilio gets its answer; SMS within the burst window make one turn."""
        due = time.time() + max(0.0, self.settings.sms_burst_window)
        await self.inbound(on_new_message).add(sender_id, {"text": text, "metadata": metadata}, due)

    async def _turn(self, sender_id: str, entries: list[dict[str, Any]], on_new_message: OnNewMessage) -> None:
        parts = [str(entry["text"]) for entry in entries]
        text = " ".join(parts)
        payload = await ButtonMemory(self.runtime.redis).resolve(sender_id, text)
        metadata = {**entries[-1].get("metadata", {}), "burst_size": len(parts)}
        message = UserMessage(
            payload or text, SmsOutput(self.router), sender_id, input_channel=self.name(), metadata=metadata
        )
        await self.deliver_turn(message, on_new_message)
