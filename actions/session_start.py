"""Session start that keeps a conversation silent while a mediator holds it (Rasa would un-pause it)."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, ConversationPaused, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import deps
from actions.handoff import HANDOFF_SLOT
from bot.activity import log as activity
from bot.identity import describe

log = logging.getLogger(__name__)


class ActionSessionStart(Action):
    """Rasa's default session start (carry slots over) plus a re-pause when the hand-off state says held."""

    def name(self) -> str:
        return "action_session_start"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        events: list[EventType] = [SessionStarted()]
        site = tracker.get_slot("home_site")
        await deps.get_activity().record(activity.CONVERSATION, tracker.sender_id, site=str(site or ""))
        if (domain.get("session_config") or {}).get("carry_over_slots_to_new_session", True):
            events += [SlotSet(name, value) for name, value in tracker.slots.items() if value is not None]
        try:
            record = await deps.get_handoff_store().get(tracker.sender_id)
        except Exception as exc:  # Redis down: answering is better than staying silent forever
            log.error("hand-off state unreadable for %s: %s", describe(tracker.sender_id), type(exc).__name__)
            record = None
        if record is not None and record.held:
            events += [SlotSet(HANDOFF_SLOT, record.state.value), ConversationPaused()]
        events.append(ActionExecuted("action_listen"))
        return events
