"""REST and callback channels: Rasa's URLs and JSON, with the privacy gate, a bearer token in deployment mode,
size limits, and no impersonation of SMS/Telegram users.

Rasa's own ``rest`` and ``callback`` channels accept anyone, any sender id and any size. These keep the same
URLs and wire format (``{"sender", "message"}``); EFFACER / MES DONNEES are answered before Rasa (privacy
gate). When a token is configured (REST_TOKEN; in deployment mode, without it, the channels are not started
at all: bot/channels_config.py), every request must carry ``Authorization: Bearer <REST_TOKEN>``; in
deployment mode ``sms-…``/``tg-…`` sender ids are refused.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from typing import Any

from rasa.core.channels.callback import CallbackOutput
from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, OutputChannel, UserMessage
from rasa.core.lock_store import LockError
from rasa.utils.endpoints import EndpointConfig
from redis.exceptions import RedisError
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.identity import channel_of
from bot.inbound.admission import REST, Accept, Admission, Inbound, emergency_answer, warm_emergency_texts
from bot.inbound.messages import NOT_KEPT
from bot.outbound import build_outbound
from bot.privacy.gate import PrivacyGate
from bot.settings import Settings
from channels.common import (
    MAX_TEXT_CHARS,
    REDIS_DEADLINE,
    OnNewMessage,
    Runtime,
    build_admission,
    settings_from_credentials,
    webhook_blueprint,
)
from channels.limits import BodyTooLarge, read_capped
from channels.paused import PausedTurns
from channels.privacy import build_gate, collector_send, guarded

log = logging.getLogger(__name__)
MAX_REST_BYTES = 16 * 1024
MAX_SENDER_CHARS = 128


def bearer_ok(expected: str, header: str | None) -> bool:
    """Whether ``Authorization`` is ``Bearer <expected>`` (constant time; no token configured: open)."""
    if not expected:
        return True
    scheme, _, value = (header or "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(expected.encode(), value.strip().encode())


class PrivacyRestInput(InputChannel):
    """``/webhooks/rest/webhook``: answers with the bot's messages as JSON."""

    def __init__(self, settings: Settings, token: str | None = None, deployed: bool | None = None) -> None:
        self.settings = settings
        self.token = self.settings.rest_token if token is None else token
        self.deployed = self.settings.deployed if deployed is None else deployed
        self.runtime = Runtime(self.settings, lambda client: build_outbound(self.settings, client))
        self.paused = PausedTurns(self.settings, self.runtime)
        self._gate: PrivacyGate | None = None
        self._admission: Admission | None = None
        self._admission_gate: PrivacyGate | None = None
        warm_emergency_texts()

    @classmethod
    def name(cls) -> str:
        """URL prefix and ``input_channel``: the standard ``rest``."""
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        """The channel on the settings of its credentials entry (token and deployment mode included)."""
        return cls(settings_from_credentials(credentials))

    def privacy_gate(self) -> PrivacyGate:
        """The gate on the running loop's Redis client (no first-contact notice on REST)."""
        redis = self.runtime.redis
        if self._gate is None or self._gate.redis is not redis:
            self._gate = build_gate(self.settings, redis, notice=False)
        return self._gate

    def output_for(self, request: Request) -> CollectingOutputChannel:
        """Where the bot's answers go (collected and returned in the HTTP response)."""
        return CollectingOutputChannel()

    def answer(self, output: CollectingOutputChannel) -> HTTPResponse:
        """The HTTP response once the message was handled."""
        return response.json(output.messages)

    def admission(self) -> Admission:
        """The admission rules (bot/inbound/admission.py): danger first, opt-out; no keywords, no rate limit."""
        gate = self.privacy_gate()
        if self._admission is None or self._admission_gate is not gate:
            self._admission = build_admission(self.settings, self.runtime.redis, REST, gate, "")
            self._admission_gate = gate
        return self._admission

    def unavailable(self, sender: str, text: str, output: CollectingOutputChannel) -> HTTPResponse:
        """503 while Redis does not answer: the emergency texts for a danger message (static, in memory), then
        a French message asking to send it again (a REST message cannot be kept: the client must retry)."""
        said = {str(m.get("text")) for m in getattr(output, "messages", [])}
        texts = [t for t in emergency_answer(text) if t not in said] + [NOT_KEPT]
        messages = [*getattr(output, "messages", []), *({"recipient_id": sender, "text": t} for t in texts)]
        return response.json(messages, status=503)

    async def check(self, request: Request) -> tuple[HTTPResponse | None, str, str]:
        """Authenticate and validate; an error response, or the sender id and text."""
        if not bearer_ok(self.token, request.headers.get("authorization")):
            log.warning("%s channel: request without a valid token refused", self.name())
            return response.json({"error": "forbidden"}, status=403), "", ""
        try:
            body = await read_capped(request, MAX_REST_BYTES)
        except BodyTooLarge:
            return response.json({"error": "payload too large"}, status=413), "", ""
        try:
            data = json.loads(body)
        except ValueError:
            return response.json({"error": "body must be JSON"}, status=400), "", ""
        if not isinstance(data, dict):
            return response.json({"error": "body must be a JSON object"}, status=400), "", ""
        sender, text = data.get("sender") or "default", data.get("message")
        if not isinstance(sender, str) or not isinstance(text, str) or len(sender) > MAX_SENDER_CHARS:
            return response.json({"error": "sender and message must be short strings"}, status=400), "", ""
        if len(text) > MAX_TEXT_CHARS:
            return response.json({"error": f"message longer than {MAX_TEXT_CHARS} characters"}, status=413), "", ""
        if self.deployed and channel_of(sender) != "callback":
            log.warning("%s channel: sender id of another channel refused", self.name())
            return response.json({"error": "sender id reserved for the SMS and Telegram channels"}, status=403), "", ""
        return None, sender, text

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        """``GET /`` health and ``POST /webhook``: the privacy gate, then (conversation paused for a mediator)
        danger answered and waiting residents acknowledged in the response (``bot.handoff.waiting``), then Rasa."""

        async def turn(message: UserMessage) -> None:
            await self.paused.run(message, on_new_message, collector_send(message))

        handle = guarded(turn, self.privacy_gate, collector_send)
        bp = webhook_blueprint(self.name())

        @bp.route("/webhook", methods=["POST"], stream=True)
        async def receive(request: Request) -> HTTPResponse:
            error, sender, text = await self.check(request)
            if error is not None:
                return error
            output = self.output_for(request)
            try:
                decision = await asyncio.wait_for(self.admission().check(Inbound(sender, text)), REDIS_DEADLINE)
            except (RedisError, asyncio.TimeoutError) as exc:
                log.error("%s channel: Redis unavailable (%s): 503", self.name(), type(exc).__name__)
                return self.unavailable(sender, text, output)
            for reply in decision.replies:
                await output.send_text_message(sender, reply.text)
            if not isinstance(decision, Accept):
                return self.answer(output)
            message = UserMessage(text, output, sender, input_channel=self.name(), metadata=decision.metadata())
            try:
                if decision.record_only:
                    await self.paused.record(message)
                else:
                    await handle(message)
            except asyncio.CancelledError:
                log.error("%s channel: message handling timed out", self.name())
            except (LockError, RedisError, asyncio.TimeoutError) as exc:  # nothing was answered: say so
                log.error("%s channel: Redis unavailable during the turn (%s): 503", self.name(), type(exc).__name__)
                return self.unavailable(sender, text, output)
            except Exception:
                log.exception("%s channel: an exception occurred while handling a message", self.name())
            return self.answer(output)

        return bp


class PrivacyCallbackInput(PrivacyRestInput):
    """``/webhooks/callback/webhook``: answers are posted to the configured callback URL."""

    def __init__(
        self,
        endpoint: EndpointConfig,
        settings: Settings,
        token: str | None = None,
        deployed: bool | None = None,
    ) -> None:
        super().__init__(settings, token, deployed)
        self.callback_endpoint = endpoint

    @classmethod
    def name(cls) -> str:
        """URL prefix and input channel."""
        return "callback"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        """Keys ``url`` (and Rasa's endpoint options) and ``settings``."""
        endpoint = {k: v for k, v in (credentials or {}).items() if k != "settings"}
        return cls(EndpointConfig.from_dict(endpoint), settings_from_credentials(credentials))

    def output_for(self, request: Request) -> CollectingOutputChannel:
        """Answers go to the callback URL."""
        return CallbackOutput(self.callback_endpoint)

    def answer(self, output: CollectingOutputChannel) -> HTTPResponse:
        """Rasa's callback channel answers ``success``."""
        return response.text("success")

    def get_output_channel(self) -> OutputChannel | None:
        """Used by Rasa's HTTP API (``output_channel=callback``)."""
        return CallbackOutput(self.callback_endpoint)
