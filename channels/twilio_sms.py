"""SMS channel over Twilio: signed webhooks, idempotent, opt-out aware, bursts merged, REST replies."""

from __future__ import annotations

import asyncio
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
from bot.dedup import Delivery, claim_delivery, delivery_key, forget_delivery, mark_delivered
from bot.handoff.store import HandoffStore
from bot.identity import describe, sender_id_for_sms
from bot.inbound.admission import SMS, Accept, Inbound, Notify, emergency_answer, in_message_language
from bot.inbound.journal import is_requeued
from bot.inbound.messages import SLOWED_DOWN
from bot.outbound import OutboundRouter
from bot.outbound.status import SmsStatusReports
from bot.phone import mask, normalize_e164
from bot.redis_connect import ReplicationUnknown
from bot.settings import Settings
from bot.sms import ButtonMemory
from channels.base import (
    MAX_BODY_BYTES,
    REDIS_DEADLINE,
    OnNewMessage,
    RouterInputChannel,
)
from channels.limits import BodyTooLarge, read_capped
from channels.output import RouterOutputChannel
from channels.runtime import turn_saved
from channels.security import FormParams, is_valid_twilio, public_url

log = logging.getLogger(__name__)
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
WEBHOOK_PATH = "/webhooks/sms/webhook"


def burst_flags(metadata: list[dict[str, Any]]) -> dict[str, Any]:
    """Admission flags of SMS merged into one turn: a danger in any of them counts; the burst is only recorded
    (no turn) when every SMS of it was."""
    flags: dict[str, Any] = {"record_only": all(m.get("record_only") for m in metadata)}
    for key in ("danger", "danger_answered"):
        found = [m[key] for m in metadata if m.get(key)]
        if found:
            flags[key] = found[-1]
    return flags


class SmsOutput(RouterOutputChannel):
    """Rasa output channel for SMS (Twilio REST through the outbound router)."""

    channel_name = "sms"


class TwilioSmsInput(RouterInputChannel):
    """``/webhooks/sms/webhook``: Twilio inbound SMS."""

    output_class = SmsOutput
    admission_rules = SMS

    def help_text(self) -> str:
        """The answer to AIDE."""
        return notices.help_sms(self.network)

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
        state = self._reported_state(params.first("MessageStatus") or params.first("SmsStatus"))
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

    def _address(self, params: FormParams) -> str | None:
        """The sender's E.164 number (``From``), None when it is not one."""
        return normalize_e164(params.first("From"))

    def _sender_id(self, e164: str) -> str:
        """The conversation id of a number on this channel."""
        return sender_id_for_sms(e164)

    async def _inbound(self, params: FormParams, sender_id: str) -> Inbound:
        """The message as admission reads it."""
        media = params.first("NumMedia", "0").strip() not in ("", "0")
        return Inbound(sender_id, params.first("Body"), has_media=media)

    def _reported_state(self, state: str) -> str:
        """A delivery state as ``bot/outbound/status.py`` knows it."""
        return state

    async def _receive(self, request: Request, on_new_message: OnNewMessage) -> HTTPResponse:
        params = self._signed(request)
        if isinstance(params, HTTPResponse):
            return params
        sid, e164 = params.first("MessageSid") or params.first("SmsSid"), self._address(params)
        if not sid or e164 is None:
            log.warning("sms webhook: signed request without MessageSid or valid From")
            return response.text(EMPTY_TWIML, content_type="text/xml")
        return await self._accept(params, e164, sid, on_new_message)

    async def _accept(
        self,
        params: FormParams,
        e164: str,
        sid: str,
        on_new_message: OnNewMessage,
        replay: bool = False,
        answered: bool = False,
    ) -> HTTPResponse:
        """De-duplicate, then handle; while Redis does not answer (within ``REDIS_DEADLINE``), keep the SMS in
        the local spool. ``answered``: a spooled danger SMS whose emergency texts were in the TwiML."""
        if not replay and self.spool().pending():  # behind the SMS already waiting there, in order
            return self._spooled(params, e164, on_new_message)
        try:
            if replay:
                await self._handle(params, e164, sid, on_new_message, answered)
            elif not await asyncio.wait_for(self._first(params, e164, sid, on_new_message), REDIS_DEADLINE):
                return response.text("being handled, retry later", status=503)  # Twilio delivers it again
        except Exception as exc:
            if replay:
                raise
            log.warning("sms webhook: not accepted online for %s (%s)", mask(e164), type(exc).__name__)
            if isinstance(exc, ReplicationUnknown):  # journalled, maybe lost by a failover: Twilio's retry decides
                return response.text("temporarily unavailable", status=503)
            with contextlib.suppress(Exception):  # Redis may be the failure: then nothing was recorded
                await asyncio.wait_for(forget_delivery(self.runtime.redis, "twilio", sid), 1.0)
            if isinstance(exc, (RedisError, asyncio.TimeoutError)):
                return self._spooled(params, e164, on_new_message)
            log.exception("sms webhook: failed for %s", mask(e164))
            return response.text("temporarily unavailable", status=503)
        return response.text(EMPTY_TWIML, content_type="text/xml")

    async def _first(self, params: FormParams, e164: str, sid: str, on_new_message: OnNewMessage) -> bool:
        """Handle a first delivery, ignore a retry of a handled one; False while another request handles it."""
        claim = await claim_delivery(self.runtime.redis, "twilio", sid)
        if claim is Delivery.NEW:
            await self._handle(params, e164, sid, on_new_message)
            await mark_delivered(self.runtime.redis, "twilio", sid)  # (journalled messages: already marked)
        elif claim is Delivery.DONE:
            log.info("sms webhook: duplicate %s from %s ignored", sid, mask(e164))
        else:
            log.info("sms webhook: %s from %s is being handled by another request", sid, mask(e164))
        return claim is not Delivery.IN_PROGRESS

    def _spooled(self, params: FormParams, e164: str, on_new_message: OnNewMessage) -> HTTPResponse:
        """Kept on disk. A danger SMS gets the emergency texts in the TwiML, every time (static texts, no
        Redis); otherwise the resident is told once that the service is slowed down."""
        pairs = [[key, value] for key, values in params.items() for value in values]
        emergency = emergency_answer(params.first("Body"))
        record: dict[str, Any] = {"params": pairs}
        if emergency:
            record["danger_answered"] = True  # the replay raises the urgent hand-off without saying them again
        if not self.spool_webhook(record, on_new_message):
            if not emergency:
                return response.text("temporarily unavailable", status=503)
            log.error("danger sms from %s could not be kept: emergency texts answered", mask(e164))
        log.warning("sms from %s kept in the local spool (Redis unavailable)", mask(e164))
        texts = list(emergency)
        if self.spool().tell_once(e164):
            texts.append(in_message_language(SLOWED_DOWN, params.first("Body")))
        if not texts:
            return response.text(EMPTY_TWIML, content_type="text/xml")
        body = "".join(f"<Message>{escape(text)}</Message>" for text in texts)
        return response.text(
            f'<?xml version="1.0" encoding="UTF-8"?><Response>{body}</Response>', content_type="text/xml"
        )

    async def _replay(self, record: dict[str, Any], on_new_message: OnNewMessage) -> None:
        params = FormParams.from_pairs([(str(k), str(v)) for k, v in record["params"]])
        sid, e164 = params.first("MessageSid") or params.first("SmsSid"), self._address(params)
        if sid and e164:
            if await claim_delivery(self.runtime.redis, "twilio", sid) is Delivery.DONE:
                log.info("sms webhook: spooled %s from %s was handled before the outage", sid, mask(e164))
                return
            await mark_delivered(self.runtime.redis, "twilio", sid)  # a late retry of it is a duplicate
            answered = bool(record.get("danger_answered"))
            await self._accept(params, e164, sid, on_new_message, replay=True, answered=answered)

    async def _handle(
        self, params: FormParams, e164: str, sid: str, on_new_message: OnNewMessage, answered: bool = False
    ) -> None:
        """Apply the admission decision (bot/inbound/admission.py): replies, then the journal, then a late STOP."""
        sender_id = self._sender_id(e164)
        decision = await self.admission().check(await self._inbound(params, sender_id))
        if isinstance(decision, Notify) and decision.discard_pending:
            await self.inbound(on_new_message).discard(sender_id)
        self.reply(sender_id, decision.replies, "sms notice")
        if not isinstance(decision, Accept):
            log.info("sms from %s not for a turn (%s)", mask(e164), getattr(decision, "reason", ""))
            return
        metadata = {"channel": self.name(), "phone_masked": mask(e164), "message_sid": sid, **decision.metadata()}
        if answered and decision.danger:  # the emergency texts were in the TwiML while Redis was down
            metadata["danger_answered"] = True
        await self._enqueue(sender_id, decision.text, metadata, self.router(), on_new_message)
        await self.admission().settle(sender_id, decision)

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
        delivered = delivery_key("twilio", str(metadata.get("message_sid") or ""))
        await self.inbound(on_new_message).add(sender_id, {"text": text, "metadata": metadata}, due, delivered)

    async def _turn(self, sender_id: str, entries: list[dict[str, Any]], on_new_message: OnNewMessage) -> None:
        last_sid = str(entries[-1].get("metadata", {}).get("message_sid") or "") if entries else ""
        if is_requeued(entries) and await turn_saved(self.runtime.redis, sender_id, last_sid):
            log.warning(
                "sms: a recovered turn of %s was complete already (answered, saved): not run again", describe(sender_id)
            )
            return
        parts = [str(entry["text"]) for entry in entries]
        text = " ".join(parts)
        payload = await ButtonMemory(self.runtime.redis).resolve(sender_id, text)
        metadata = {**entries[-1].get("metadata", {}), "burst_size": len(parts)}
        metadata.update(burst_flags([entry.get("metadata", {}) for entry in entries]))
        message = UserMessage(
            payload or text,
            SmsOutput(self.router, self.runtime.replies.of(sender_id, entries, self.runtime.redis)),
            sender_id,
            input_channel=self.name(),
            metadata=metadata,
        )
        await self.deliver_turn(message, on_new_message)
