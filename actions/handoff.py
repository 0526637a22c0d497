"""Hand-off to a human mediator: explicit request, urgent hand-off (danger), and the shared queueing step."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ConversationPaused, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import deps
from bot.activity import log as activity
from bot.activity.themes import recent_themes
from bot.handoff.announce import Announcer
from bot.handoff.messages import INTRO, INTRO_URGENT, already_waiting, waiting_messages
from bot.handoff.models import Handoff, Reason, State
from bot.handoff.store import HandoffStore
from bot.handoff.triage import Triage, preview
from bot.handoff.waiting import hold_acknowledgements

log = logging.getLogger(__name__)
HANDOFF_SLOT = "handoff_state"


def handoff_store() -> HandoffStore:
    """The hand-off store on the action server's shared Redis client."""
    return HandoffStore(deps.get_redis(), ttl=deps.get_settings().retention_seconds)


def site_for(tracker: Tracker) -> Any:
    """The resident's site when known (slot ``home_site``), else the default site."""
    sites = deps.get_sites()
    site_id = tracker.get_slot("home_site")
    return (sites.get(str(site_id)) if site_id else None) or sites.default()


async def queue_for_mediator(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    reason: Reason,
    urgent: bool = False,
    intro: str | None = None,
) -> list[EventType]:
    """Queue the conversation, tell the resident where they stand, and pause the assistant."""
    store = handoff_store()
    previous = await store.get(tracker.sender_id)
    before = previous.state if previous else State.BOT
    record = await store.request(tracker.sender_id, reason=reason, urgent=urgent)
    new = before != State.WAITING and record.state == State.WAITING
    escalated = bool(previous and previous.held and not previous.urgent and record.urgent)
    if new or escalated:
        await announce(tracker, record, new)
    position = await store.position(tracker.sender_id)
    if before == State.WAITING:
        dispatcher.utter_message(text=already_waiting(position, language_of(tracker)))
    elif record.state == State.WAITING:
        sites = deps.get_sites()
        tz = sites.tz
        intro = intro or (INTRO_URGENT if urgent else INTRO)
        now = deps.get_clock()()
        for text in waiting_messages(position, site_for(tracker), now, tz, intro=intro, language=language_of(tracker)):
            dispatcher.utter_message(text=text)
    if record.state == State.WAITING:  # just told where they stand: the next acknowledgement can wait
        await hold_acknowledgements(store.redis, tracker.sender_id, deps.get_settings().handoff_ack_interval)
    log.info("hand-off %s (%s)", record.state.value, reason.value)
    return [SlotSet(HANDOFF_SLOT, record.state.value), ConversationPaused()]


def language_of(tracker: Tracker) -> str:
    """The resident's language (the ``language`` slot, issue 23); French when unset."""
    return str(tracker.get_slot("language") or "fr")


def danger_of(tracker: Tracker) -> str:
    """The danger kind of the latest message (``danger_violence`` -> ``violence``), else empty."""
    intent = str((tracker.latest_message.get("intent") or {}).get("name") or "")
    return intent.removeprefix("danger_") if intent.startswith("danger_") else ""


async def announce(tracker: Tracker, record: Handoff, new: bool) -> None:
    """Triage summary, activity count and the mediators' alert for a new or newly urgent hand-off."""
    ttl = deps.get_settings().retention_seconds
    announcer = Announcer(deps.get_redis(), deps.get_activity(), deps.get_alerts(), ttl)
    if not new:
        await announcer.escalated(record, danger_of(tracker), deps.get_clock()().timestamp())
        return
    texts = [str(e.get("text") or "") for e in tracker.events if e.get("event") == "user"]
    triage = Triage(
        danger_of(tracker), recent_themes(tracker.events), preview(texts[-1]) if texts else "", site_for(tracker).id
    )
    await announcer.new_request(record, triage, deps.get_clock()().timestamp())


class ActionHandoffRequest(Action):
    """The resident asked for a person."""

    def name(self) -> str:
        return "action_handoff_request"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        return await queue_for_mediator(dispatcher, tracker, Reason.REQUEST)


class ActionHandoffUrgent(Action):
    """Someone may be in danger: first in line (the danger feature already gave the emergency number)."""

    def name(self) -> str:
        return "action_handoff_urgent"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        await deps.get_activity().record(
            activity.DANGER, tracker.sender_id, danger=danger_of(tracker) or "unsure", site=site_for(tracker).id
        )
        return await queue_for_mediator(dispatcher, tracker, Reason.URGENT, urgent=True)
