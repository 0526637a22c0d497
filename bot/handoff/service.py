"""What mediators do to a conversation, applied to Redis, Rasa's tracker and the resident's channel."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from bot.activity import log as activity_kinds
from bot.activity.log import ActivityLog
from bot.clock import PARIS
from bot.handoff import messages
from bot.handoff.alerts import MediatorAlerts
from bot.handoff.announce import Announcer
from bot.handoff.last_seen import touch
from bot.handoff.models import Handoff, Reason, State, TransitionError
from bot.handoff.rasa_api import RasaApi
from bot.handoff.store import PREFIX, HandoffStore
from bot.handoff.triage import Triage, load_triage
from bot.handoff.waiting import DEFAULT_ACK_INTERVAL, hold_acknowledgements
from bot.identity import channel_of, describe
from bot.language.store import stored_language
from bot.language.texts import localize
from bot.outbound.dead_letters import DeadLetters
from bot.outbound.delivery import DeliveryLog, DeliveryResult, Status
from bot.outbound.transports import Report
from bot.sites import Site, SiteDirectory

log = logging.getLogger(__name__)
HANDOFF_SLOT = "handoff_state"
RESUME_LOCK_SECONDS = 60
RETRY_AFTER_SECONDS = 5.0


class Router(Protocol):
    """``bot.outbound.OutboundRouter``'s sending interface."""

    async def send(self, sender_id: str, text: str, buttons: list[dict[str, Any]] | None = None) -> bool:
        """Deliver one message to the resident."""

    async def deliver(
        self,
        sender_id: str,
        text: str,
        buttons: list[dict[str, Any]] | None = None,
        *,
        delivery_id: str = "",
        human: bool = False,
    ) -> DeliveryResult:
        """Deliver one message and say what became of it (sent, refused, provider error); ``delivery_id``
        links the provider's later reports to this message; ``human``: a mediator's, outside the daily cap."""

    async def early_reports(self, sender_id: str, provider_ids: Sequence[str]) -> Sequence[Report]:
        """The provider's reports about these parts that arrived before the result was recorded."""


@dataclass(frozen=True)
class Requested:
    """What the resident's request for a person became: the record and what to tell them, in order."""

    record: Handoff
    texts: tuple[str, ...]


class HandoffService:
    """The resident's request, then claim, reply, transfer, hand back, close, and the resident's cancel."""

    def __init__(
        self,
        store: HandoffStore,
        rasa: RasaApi,
        router: Router,
        activity: ActivityLog | None = None,
        tz: ZoneInfo = PARIS,
        *,
        alerts: MediatorAlerts | None = None,
        sites: SiteDirectory | None = None,
        ack_interval: int = DEFAULT_ACK_INTERVAL,
    ) -> None:
        self.tz = tz
        self.store = store
        self.rasa = rasa
        self.router = router
        self.deliveries = DeliveryLog(store.redis, store.ttl)
        self.activity = activity
        self.alerts = alerts
        self.sites = sites
        self.ack_interval = ack_interval

    def site_for(self, site_id: str | None) -> Site:
        """The resident's site when known, else the default site."""
        if self.sites is None:
            raise ValueError("a HandoffService that takes requests needs the sites")
        return (self.sites.get(site_id) if site_id else None) or self.sites.default()

    async def request(
        self,
        sender_id: str,
        reason: Reason,
        now: datetime,
        *,
        urgent: bool = False,
        triage: Triage | None = None,
        intro: str | None = None,
        language: str = "fr",
    ) -> Requested:
        """Queue the conversation (first in line when ``urgent``), announce a new or newly urgent request to the
        mediators (triage summary, activity count, group alert), and say what to tell the resident: where they
        stand and when a mediator will answer (in ``language``, issue 23). ``triage.site`` is the resident's site
        id when known."""
        triage = triage or Triage()
        site = self.site_for(triage.site)
        previous = await self.store.get(sender_id)
        before = previous.state if previous else State.BOT
        record = await self.store.request(sender_id, reason=reason, urgent=urgent)
        new = before != State.WAITING and record.state == State.WAITING
        escalated = bool(previous and previous.held and not previous.urgent and record.urgent)
        announcer = Announcer(self.store.redis, self.activity, self.alerts, self.store.ttl)
        if new:
            await announcer.new_request(record, replace(triage, site=site.id), now.timestamp())
        elif escalated:
            await announcer.escalated(record, triage.danger, now.timestamp())
        position = await self.store.position(sender_id)
        texts: tuple[str, ...] = ()
        if before == State.WAITING:
            texts = (messages.already_waiting(position, language),)
        elif record.state == State.WAITING:
            intro = intro or (messages.INTRO_URGENT if urgent else messages.INTRO)
            texts = tuple(messages.waiting_messages(position, site, now, self.tz, intro=intro, language=language))
        if record.state == State.WAITING:  # just told where they stand: the next acknowledgement can wait
            await hold_acknowledgements(self.store.redis, sender_id, self.ack_interval)
        log.info("hand-off %s (%s)", record.state.value, reason.value)
        return Requested(record, texts)

    async def count(self, kind: str, record: Handoff, **fields: Any) -> None:
        """Record a hand-off step in the activity log (reason and site; nothing personal)."""
        if self.activity is None:
            return
        site = (await load_triage(self.store.redis, record.sender_id)).site
        now = self.store.clock()
        await self.activity.record(kind, record.sender_id, at=now, reason=record.reason.value, site=site, **fields)

    async def claim(self, sender_id: str, mediator: str) -> Handoff:
        """Take the conversation and tell the resident a person is there."""
        record = await self.store.claim(sender_id, mediator)
        await self.count(activity_kinds.HANDOFF_CLAIMED, record, wait=round(self.store.clock() - record.requested_at))
        await self.say(sender_id, messages.CLAIMED, {"mediator": mediator}, human=True)
        return record

    async def reply(self, sender_id: str, mediator: str, text: str) -> DeliveryResult:
        """Send a mediator's message through the resident's channel; record it with its delivery state."""
        record = await self.store.get(sender_id)
        if record is None or record.state != State.WITH_MEDIATOR or record.mediator != mediator:
            raise TransitionError("prenez d'abord cette conversation en charge")
        return await self.say(sender_id, text, {"mediator": mediator}, human=True)

    async def take_over(self, sender_id: str, supervisor: str) -> Handoff:
        """A supervisor takes the conversation; the resident is told only if nobody held it yet."""
        before = await self.store.state_of(sender_id)
        record = await self.store.take_over(sender_id, supervisor)
        if before == State.WAITING:
            wait = round(self.store.clock() - record.requested_at)
            await self.count(activity_kinds.HANDOFF_CLAIMED, record, wait=wait)
            await self.say(sender_id, messages.CLAIMED, {"mediator": supervisor}, human=True)
        return record

    async def transfer(self, sender_id: str, mediator: str, to_mediator: str, *, supervisor: bool = False) -> Handoff:
        """Pass the conversation to a colleague (a supervisor may reassign anyone's)."""
        return await self.store.transfer(sender_id, mediator, to_mediator, supervisor=supervisor)

    async def hand_back(self, sender_id: str, mediator: str, *, supervisor: bool = False) -> Handoff:
        """Give the conversation back to the assistant, which picks up where it was."""
        record = await self.store.hand_back(sender_id, mediator, supervisor=supervisor)
        await self.count(activity_kinds.HANDOFF_END, record, outcome="handed_back")
        await self.resume(sender_id, messages.HANDED_BACK)
        return record

    async def close(self, sender_id: str, mediator: str, *, supervisor: bool = False) -> Handoff:
        """End the hand-off; the assistant answers the resident's next message."""
        record = await self.store.close(sender_id, mediator, supervisor=supervisor, claimed_only=True)
        await self.count(activity_kinds.HANDOFF_END, record, outcome="closed")
        await self.resume(sender_id, messages.CLOSED)
        return record

    async def cancel_by_resident(self, sender_id: str) -> Handoff:
        """The resident wrote "annuler" while waiting."""
        record = await self.store.cancel(sender_id, actor="resident")
        await self.count(activity_kinds.HANDOFF_END, record, outcome="cancelled")
        await self.resume(sender_id, messages.CANCELLED)
        return record

    async def resume(self, sender_id: str, text: str | None) -> bool:
        """Un-pause Rasa, say ``text``, re-ask an unfinished form's question, then listen again.

        One resume at a time per conversation (the watcher retries failed ones): False when one is running.
        """
        lock = f"{PREFIX}resuming:{sender_id}"
        if not await self.store.redis.set(lock, "1", nx=True, ex=RESUME_LOCK_SECONDS):
            return False
        try:
            await self._resume(sender_id, text)
        finally:
            await self.store.redis.delete(lock)
        return True

    async def _resume(self, sender_id: str, text: str | None) -> None:
        text = localize(text, await stored_language(self.store.redis, sender_id)) if text else text  # issue 23
        # The tracker is complete (resumed, form question asked, listening) before the resident reads
        # anything: a reply sent at once must find a conversation that is ready for it.
        await self.rasa.append_events(
            sender_id,
            [
                {"event": "resume"},
                {"event": "slot", "name": HANDOFF_SLOT, "value": State.BOT.value},
            ],
        )
        notice_id = uuid.uuid4().hex
        if text:  # shown in the transcript with the delivery state of ``notice_id``
            await self.rasa.record_bot_message(sender_id, text, {"handoff": "resume", "delivery_id": notice_id})
        tracker = await self.rasa.tracker(sender_id)
        loop = (tracker.get("active_loop") or {}).get("name")
        # The form runs after a non-listen action, so it does not validate: it asks its next question.
        form_messages = await self.rasa.execute(sender_id, loop) if loop else []
        await self.rasa.append_events(sender_id, [{"event": "action", "name": "action_listen"}])
        await self.store.mark_resumed(sender_id)
        if text:
            await self._deliver(sender_id, {"text": text}, notice_id)
        for message in form_messages:
            await self._deliver(sender_id, message)
        await self.store.publish("message", sender_id)

    async def retry_pending(self, record: Handoff, now: float) -> None:
        """Finish a resume that failed half-way (Rasa was down) a while ago: un-pause silently."""
        last = record.history[-1].at if record.history else ""
        age = now - datetime.fromisoformat(last).timestamp() if last else RETRY_AFTER_SECONDS
        if record.resume_pending and not record.held and age >= RETRY_AFTER_SECONDS:
            await self.resume(record.sender_id, None)

    async def say(self, sender_id: str, text: str, metadata: dict[str, Any], *, human: bool = False) -> DeliveryResult:
        """Deliver a message, then record it in the tracker with the id of its delivery result.

        ``human``: sent by (or on behalf of) a mediator, so the daily cap of automatic messages does not apply.

        The transcript shows every attempt; its state (sent, refused and why, provider error) comes from
        the provider's answer, kept in the ``DeliveryLog`` under ``metadata["delivery_id"]``.
        """
        message_id = uuid.uuid4().hex
        await touch(self.store.redis, sender_id, self.store.clock())
        text = localize(text, await stored_language(self.store.redis, sender_id))  # our notices only (issue 23)
        result = await self.router.deliver(sender_id, text, delivery_id=message_id, human=human)
        await self.deliveries.record(sender_id, message_id, result)
        await self.keep_failure(sender_id, text, result)
        for report in await self.router.early_reports(sender_id, result.provider_ids):  # may beat the record
            result = await self.deliveries.update(sender_id, message_id, report.applied_to) or result
        await self.rasa.record_bot_message(sender_id, text, {**metadata, "delivery_id": message_id})
        await self.store.publish("message", sender_id)
        return result

    async def keep_failure(self, sender_id: str, text: str, result: DeliveryResult) -> None:
        """List a message that was not sent in "Messages non remis" (the router already keeps provider errors)."""
        if result.status == Status.REFUSED:
            await DeadLetters(self.store.redis).add(sender_id, channel_of(sender_id), text, result.label())

    async def _deliver(self, sender_id: str, message: dict[str, Any], delivery_id: str = "") -> None:
        """An automatic message (hand back, close, a form's question): its state is kept under ``delivery_id``
        for the transcript, and a failure goes to "Messages non remis" (never a failure that looks sent)."""
        text = str(message.get("text") or "")
        if not text:
            return
        try:
            result = await self.router.deliver(sender_id, text, message.get("buttons") or None, delivery_id=delivery_id)
            if delivery_id:
                await self.deliveries.record(sender_id, delivery_id, result)
            await self.keep_failure(sender_id, text, result)
        except Exception as exc:  # the tracker already has it; the mediator sees it in the transcript
            log.error("delivery after resume failed for %s: %s", describe(sender_id), type(exc).__name__)
            return
        if not result.ok:
            log.error("delivery after resume failed for %s: %s", describe(sender_id), result.status.value)
