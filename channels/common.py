"""Pieces shared by our channels: lazy runtime (Redis + router), output channel, background tasks."""

from __future__ import annotations

import abc
import asyncio
import collections
import functools
import hashlib
import json
import logging
import os
import socket
import uuid
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

import redis.asyncio as aioredis
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import redis_connect
from bot.activity.log import ActivityLog
from bot.inbound.admission import MAX_TEXT_CHARS as MAX_TEXT_CHARS
from bot.inbound.admission import Admission, Reply, Rules, warm_emergency_texts
from bot.inbound.admission import user_text as user_text
from bot.inbound.journal import InboundJournal
from bot.inbound.pump import InboundPump
from bot.inbound.spool import LocalSpool
from bot.optout import OptOutStore
from bot.outbound import DeliveryError, OutboundRouter, UndeliverableError, build_outbound
from bot.outbound.router import describe
from bot.privacy.gate import PrivacyGate
from bot.ratelimit import InboundRateLimiter
from bot.settings import Settings
from bot.sites import load_sites
from channels.limits import MAX_WEBHOOK_BYTES, BodyTooLarge, read_capped
from channels.paused import PausedTurns
from channels.privacy import build_gate, guarded

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
    activity = ActivityLog(redis, retention_days=settings.activity_retention_days)
    limiter = InboundRateLimiter(redis, settings.rate_limit_count, settings.rate_limit_window)
    return Admission(rules, OptOutStore(redis, activity), limiter, gate.accepts_while_opted_out, help_text)


class RouterOutputChannel(OutputChannel):
    """Rasa output channel writing through an ``OutboundRouter``; never raises into Rasa."""

    channel_name = "router"

    def __init__(self, router_factory: Callable[[], OutboundRouter], sent: list[str] | None = None) -> None:
        self._router_factory = router_factory
        self._sent = sent  # the answers an earlier attempt of the same turn sent (TurnReplies)
        self._index = 0

    @classmethod
    def name(cls) -> str:
        """Channel name (set by subclasses)."""
        return cls.channel_name

    async def _send(self, recipient_id: str, text: str, buttons: list[dict[str, Any]] | None = None) -> None:
        index, self._index = self._index, self._index + 1
        signature = json.dumps([text, buttons], ensure_ascii=False, sort_keys=True)
        sent = self._sent
        if sent is not None and index < len(sent) and sent[index] == signature:
            log.info("%s: answer %d of a retried turn already sent to %s", self.name(), index, describe(recipient_id))
            return
        try:
            await self._router_factory().send(recipient_id, text, buttons)
            if sent is not None:
                del sent[index:]
                sent.append(signature)
        except (DeliveryError, UndeliverableError) as exc:
            # The turn stays in the tracker; only this message is lost (logged for the operators).
            log.error("%s: message to %s not delivered: %s", self.name(), describe(recipient_id), exc)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        """Send plain text."""
        await self._send(recipient_id, text)

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        """Send text with buttons (numbered on SMS, inline keyboard on Telegram)."""
        await self._send(recipient_id, text, buttons)

    async def send_quick_replies(
        self, recipient_id: str, text: str, quick_replies: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        """Quick replies are buttons."""
        await self._send(recipient_id, text, quick_replies)

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        """Images are sent as their URL."""
        await self._send(recipient_id, image)

    async def send_attachment(self, recipient_id: str, attachment: str, **kwargs: Any) -> None:
        """Attachments are sent as text."""
        await self._send(recipient_id, attachment)

    async def send_custom_json(self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any) -> None:
        """Custom payloads are not sent to users (logged)."""
        log.warning("%s: custom json not sent to %s", self.name(), describe(recipient_id))


class TurnReplies:
    """The answers each recent turn sent, in this process. The inbound pump tries a failed turn again (Redis failed
    over after the answers went out but before the tracker was saved, say): the retry's answers that an earlier
    attempt already sent, same place, same text, are not sent twice. Bounded: the last ``size`` turns."""

    def __init__(self, size: int = 1000) -> None:
        self._size = size
        self._turns: collections.OrderedDict[str, list[str]] = collections.OrderedDict()

    def of(self, sender_id: str, entries: list[dict[str, Any]]) -> list[str]:
        """The record of one turn (its sender and journal entries, the same at every attempt)."""
        key = sender_id + hashlib.sha256(json.dumps(entries, sort_keys=True, default=str).encode()).hexdigest()
        record = self._turns.pop(key, [])
        self._turns[key] = record
        while len(self._turns) > self._size:
            self._turns.popitem(last=False)
        return record


class Runtime:
    """Redis client and outbound router, built lazily inside the running loop (one per loop)."""

    def __init__(self, settings: Settings, build: Callable[[aioredis.Redis], OutboundRouter]) -> None:
        self._settings = settings
        self._build = build
        self._loop: asyncio.AbstractEventLoop | None = None
        self._redis: aioredis.Redis | None = None
        self._router: OutboundRouter | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self.owner = f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        self.pump: InboundPump | None = None
        self.replies = TurnReplies()

    def _ensure(self) -> None:
        loop = asyncio.get_running_loop()
        if self._loop is not loop:
            self._redis = redis_connect.client(self._settings)
            self._router = self._build(self._redis)
            self._loop = loop
            self.pump = None

    @property
    def redis(self) -> aioredis.Redis:
        """The Redis client of the running loop."""
        self._ensure()
        assert self._redis is not None
        return self._redis

    @property
    def router(self) -> OutboundRouter:
        """The outbound router of the running loop."""
        self._ensure()
        assert self._router is not None
        return self._router

    def spawn(self, coro: Coroutine[Any, Any, Any], what: str) -> asyncio.Task[Any]:
        """Run work after the webhook answered; exceptions are logged, tasks kept referenced."""

        async def guarded() -> None:
            try:
                await coro
            except Exception:
                log.exception("background %s failed", what)

        task = asyncio.get_running_loop().create_task(guarded())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def drain(self, timeout: float = 8.0) -> None:
        """Finish the turns in progress and those waiting in a burst window, then background work (bounded)."""
        if self.pump is not None:
            await self.pump.stop(timeout)
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=timeout)


def webhook_blueprint(channel: str) -> Blueprint:
    """A blueprint of its own for one channel's routes (a unique name), with Rasa's ``GET /`` health check."""
    bp = Blueprint(f"{channel}_webhook_{uuid.uuid4().hex[:8]}", __name__)

    @bp.route("/", methods=["GET"])
    async def health(_: Request) -> HTTPResponse:
        return response.json({"status": "ok"})

    return bp


def settings_from_credentials(credentials: dict[str, Any] | None) -> Settings:
    """The settings Rasa hands a channel: ``settings`` of its credentials entry, written from the one
    ``Settings`` by ``bot/channels_config.py``. A hand-written entry without them (the committed
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
        return load_sites(self.settings.sites_file).network

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
