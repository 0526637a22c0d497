"""Hand-off to a human mediator: explicit request, urgent hand-off (danger), and the shared queueing step."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ConversationPaused, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import deps
from bot.handoff.messages import INTRO, INTRO_URGENT, already_waiting, waiting_messages
from bot.handoff.models import Reason, State
from bot.handoff.store import HandoffStore

log = logging.getLogger(__name__)
HANDOFF_SLOT = "handoff_state"


def handoff_store() -> HandoffStore:
    """The hand-off store on the action server's shared Redis client."""
    return HandoffStore(deps.get_redis())


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
    before = await store.state_of(tracker.sender_id)
    record = await store.request(tracker.sender_id, reason=reason, urgent=urgent)
    position = await store.position(tracker.sender_id)
    if before == State.WAITING:
        dispatcher.utter_message(text=already_waiting(position))
    elif record.state == State.WAITING:
        sites = deps.get_sites()
        tz = sites.tz
        intro = intro or (INTRO_URGENT if urgent else INTRO)
        for text in waiting_messages(position, site_for(tracker), datetime.now(tz), tz, intro=intro):
            dispatcher.utter_message(text=text)
    log.info("hand-off %s for %s (%s)", record.state.value, tracker.sender_id, reason.value)
    return [SlotSet(HANDOFF_SLOT, record.state.value), ConversationPaused()]


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
        return await queue_for_mediator(dispatcher, tracker, Reason.URGENT, urgent=True)
