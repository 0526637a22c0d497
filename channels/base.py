"""The base of our webhook input channels: admission, journal and spool, privacy and waiting gates, then Rasa.

The output channel is in ``channels/output.py``, the per-loop Redis client and router in ``channels/runtime.py``.
"""

from __future__ import annotations

import abc
import asyncio
import functools
import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import redis.asyncio as aioredis
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import wiring
from bot.identity import describe
from bot.inbound.admission import MAX_TEXT_CHARS as MAX_TEXT_CHARS
from bot.inbound.admission import Admission, Reply, Rules, warm_emergency_texts
from bot.inbound.journal import InboundJournal
from bot.inbound.pump import InboundPump
from bot.inbound.spool import LocalSpool
from bot.language.store import LanguageStore
from bot.outbound import DeliveryError, OutboundRouter, UndeliverableError, build_outbound
from bot.privacy.gate import PrivacyGate
from bot.ratelimit import InboundRateLimiter
from bot.settings import Settings
from channels.limits import MAX_WEBHOOK_BYTES, BodyTooLarge, read_capped
from channels.output import RouterOutputChannel
from channels.paused import PausedTurns
from channels.privacy import build_gate, guarded
from channels.runtime import Runtime

log = logging.getLogger(__name__)
OnNewMessage = Callable[[UserMessage], Awaitable[Any]]
MAX_BODY_BYTES = MAX_WEBHOOK_BYTES
DRAIN_SECONDS = 8.0
# A webhook is accepted online (dedup, admission, journal) within this time, else kept in the local spool:
# a stalled Redis still gets the resident a clear answer well within Twilio's 15 s.
REDIS_DEADLINE = 3.0
SPOOL_RETRY_SECONDS = 2.0


def build_admission(
    settings: Settings, redis: aioredis.Redis, rules: Rules, gate: PrivacyGate, help_text: str
) -> Admission:
    """The admission rules of a channel on the running loop's Redis client."""
    limiter = InboundRateLimiter(redis, settings.rate_limit_count, settings.rate_limit_window)
    languages = LanguageStore(redis, settings.retention_seconds)  # issue 23: each resident's language
    return Admission(
        rules, wiring.opt_outs(settings, redis), limiter, gate.accepts_while_opted_out, help_text, languages
    )


def webhook_blueprint(channel: str) -> Blueprint:
    """A blueprint of its own for one channel's routes (a unique name), with Rasa's ``GET /`` health check."""
    bp = Blueprint(f"{channel}_webhook_{uuid.uuid4().hex[:8]}", __name__)

    @bp.route("/", methods=["GET"])
    async def health(_: Request) -> HTTPResponse:
        return response.json({"status": "ok"})

    return bp


def settings_from_credentials(credentials: dict[str, Any] | None) -> Settings:
    """The settings Rasa hands a channel: ``settings`` of its credentials entry, written from the one
    ``Settings`` by ``bot/ops/channels_config.py``. A hand-written entry without them (the committed
    credentials.yml) gets the defaults: channels never read the environment themselves."""
    return Settings.from_dict((credentials or {}).get("settings") or {})


class RouterInputChannel(InputChannel):
    """Webhook input channel whose replies leave through the shared outbound router.

    Subclasses give ``name()``, ``output_class`` and ``_receive(request, on_new_message)``.
    """

    output_class: type[RouterOutputChannel]
    admission_rules: Rules

    @classmethod
    def name(cls) -> str:
        """URL prefix and ``input_channel`` of user messages: the name of the channel its replies leave by."""
        return cls.output_class.channel_name

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        """The channel on the settings of its credentials entry; refused when they do not configure it."""
        settings = settings_from_credentials(credentials)
        if not cls.configured(settings):
            cls.raise_missing_credentials_exception()
        return cls(settings)

    @classmethod
    @abc.abstractmethod
    def configured(cls, settings: Settings) -> bool:
        """Whether ``settings`` hold everything this channel needs."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.runtime = Runtime(settings, lambda client: build_outbound(settings, client))
        self.paused = PausedTurns(settings, self.runtime)
        self._gate: PrivacyGate | None = None
        self._admission: Admission | None = None
        self._admission_gate: PrivacyGate | None = None
        self._spool: LocalSpool | None = None
        self._replayer: asyncio.Task[None] | None = None
        warm_emergency_texts()  # in memory from now on: the Redis-down answers need no read

    def help_text(self) -> str:
        """The answer to AIDE / /aide."""
        return ""

    def admission(self) -> Admission:
        """The admission rules (bot/inbound/admission.py) on the running loop's Redis client."""
        gate = self.privacy_gate()
        if self._admission is None or self._admission_gate is not gate:
            self._admission = build_admission(
                self.settings, self.runtime.redis, self.admission_rules, gate, self.help_text()
            )
            self._admission_gate = gate
        return self._admission

    def reply(self, sender_id: str, replies: tuple[Reply, ...], what: str) -> None:
        """Send an admission decision's replies in the background, in order, one task."""
        if not replies:
            return
        router = self.router()

        async def send() -> None:
            for reply in replies:
                try:
                    await router.send(sender_id, reply.text, force=reply.force)
                except (DeliveryError, UndeliverableError) as exc:
                    log.error("%s: %s to %s not delivered: %s", self.name(), what, describe(sender_id), exc)

        self.runtime.spawn(send(), what)

    @functools.cached_property
    def network(self) -> str:
        """The network's name residents read (``network`` in the sites file), loaded on first use."""
        return wiring.sites(self.settings).network

    def privacy_gate(self) -> PrivacyGate:
        """EFFACER / MES DONNEES / first-contact notice, on the running loop's Redis client."""
        redis = self.runtime.redis
        if self._gate is None or self._gate.redis is not redis:
            self._gate = build_gate(self.settings, redis, notice=self.settings.privacy_notice)
        return self._gate

    def _privacy_send(self, message: UserMessage) -> Any:
        sender_id, router = message.sender_id, self.router()

        async def send(text: str, buttons: list[dict[str, Any]] | None = None, force: bool = False) -> None:
            try:
                await router.send(sender_id, text, buttons, force=force)
            except (DeliveryError, UndeliverableError) as exc:
                log.error("%s: privacy message to %s not delivered: %s", self.name(), describe(sender_id), exc)

        return send

    def router(self) -> OutboundRouter:
        """The outbound router (shared with mediator replies and reminders)."""
        return self.runtime.router

    def inbound(self, on_new_message: OnNewMessage) -> InboundJournal:
        """This channel's journal; its pump runs in this loop from now on (started at most once)."""
        runtime = self.runtime
        if runtime.pump is None:
            journal = InboundJournal(runtime.redis, self.name(), runtime.owner)
            runtime.pump = InboundPump(journal, lambda sender, entries: self._turn(sender, entries, on_new_message))
        runtime.pump.start()
        if self.spool().pending():
            self._start_replayer(on_new_message)
        return runtime.pump.journal

    def spool(self) -> LocalSpool:
        """The local spool used while Redis does not answer (PIMMS_DATA_DIR/spool)."""
        if self._spool is None:
            self._spool = LocalSpool(self.settings.data_dir / "spool", self.name())
        return self._spool

    def spool_webhook(self, record: dict[str, Any], on_new_message: OnNewMessage) -> bool:
        """Keep a webhook on disk until Redis answers again; False when it could not be kept."""
        kept = self.spool().append(record)
        self._start_replayer(on_new_message)
        return kept

    def _start_replayer(self, on_new_message: OnNewMessage) -> None:
        if self._replayer is None or self._replayer.done():
            self._replayer = asyncio.get_running_loop().create_task(self._replay_spool(on_new_message))

    async def _replay_spool(self, on_new_message: OnNewMessage) -> None:
        spool = self.spool()
        while spool.pending():
            try:
                await self.runtime.redis.ping()
                replayed = await spool.replay(lambda record: self._replay(record, on_new_message))
                if replayed:
                    log.warning("%s: %d message(s) kept while Redis was down now processed", self.name(), replayed)
                elif spool.pending():
                    await asyncio.sleep(0.5)  # another process replays them
            except Exception as exc:
                log.warning("%s: spooled messages wait for Redis (%s)", self.name(), type(exc).__name__)
                await asyncio.sleep(SPOOL_RETRY_SECONDS)

    @abc.abstractmethod
    async def _replay(self, record: dict[str, Any], on_new_message: OnNewMessage) -> None:
        """Accept one spooled webhook again, now that Redis answers (journal it; no reply to the provider)."""

    @abc.abstractmethod
    async def _turn(self, sender_id: str, entries: list[dict[str, Any]], on_new_message: OnNewMessage) -> None:
        """Process journalled messages of one sender (one conversation turn or several)."""

    async def deliver_turn(self, message: UserMessage, on_new_message: OnNewMessage) -> None:
        """Hand one message to Rasa; privacy requests (EFFACER, MES DONNEES) are answered first
        (``bot.privacy.gate``), then, while the conversation is paused for a mediator, danger is answered
        and waiting residents are acknowledged (``bot.handoff.waiting``)."""

        if (message.metadata or {}).get("record_only"):  # opted out: the transcript keeps it, nobody answers
            await self.paused.record(message)
            return

        async def turn(msg: UserMessage) -> None:
            await self.paused.run(msg, on_new_message)

        await guarded(turn, self.privacy_gate, self._privacy_send)(message)

    def get_output_channel(self) -> OutputChannel | None:
        """Used by Rasa's HTTP API (``output_channel=<name>``); safe in the running loop."""
        return self.output_class(self.router)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """The webhook routes: a health check and the webhook itself."""
        bp = webhook_blueprint(self.name())

        @bp.route("/webhook", methods=["POST"], stream=True)
        async def receive(request: Request) -> HTTPResponse:
            # The size is checked before the body is read whole (announced length, then a capped stream).
            try:
                request.body = await read_capped(request, MAX_BODY_BYTES)
            except BodyTooLarge:
                log.warning("%s webhook: body too large", self.name())
                return response.text("payload too large", status=413)
            return await self._receive(request, on_new_message)

        @bp.listener("after_server_start")
        async def recover_inbound(app: Any, loop: Any) -> None:  # messages left by a previous run
            self.inbound(on_new_message)

        @bp.listener("before_server_stop")
        async def drain_inbound(app: Any, loop: Any) -> None:  # bounded: the runner kills after 12 s
            if self._replayer is not None:  # the spool stays on disk for the next start
                self._replayer.cancel()
            await self.runtime.drain(DRAIN_SECONDS)

        return bp

    @abc.abstractmethod
    async def _receive(self, request: Request, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> HTTPResponse:
        """Authenticate, parse and hand one webhook request to Rasa."""
