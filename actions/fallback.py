"""Honest fallback when the assistant did not understand or cannot help; the second in a row hands off.

Both a low-confidence message (nlu_fallback) and an out-of-scope one count: either way the resident did
not get help, and a second failure in a row is the moment to pass a person.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher

from actions import deps
from actions.handoff import queue_for_mediator
from bot.activity import log as activity
from bot.handoff.messages import FALLBACK_INTRO
from bot.handoff.models import Reason

NOT_HELPED_INTENTS = frozenset({"nlu_fallback", "out_of_scope"})
HANDOFF_AT = 2
RESET_EVENTS = frozenset({"session_started", "pause", "resume", "restart"})


def consecutive_fallbacks(events: list[dict[str, Any]]) -> int:
    """Misunderstood user messages in a row, the latest included (stops at any understood one or hand-off)."""
    count = 0
    for event in reversed(events):
        kind = event.get("event")
        if kind in RESET_EVENTS:
            break
        if kind != "user" or str(event.get("text") or "").startswith("EXTERNAL: "):
            continue
        if ((event.get("parse_data") or {}).get("intent") or {}).get("name") not in NOT_HELPED_INTENTS:
            break
        count += 1
    return count


class ActionFallback(Action):
    """Say that the message was not understood; at the second time in a row, pass a mediator."""

    def name(self) -> str:
        return "action_fallback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        await deps.get_activity().record(activity.NOT_UNDERSTOOD, tracker.sender_id)
        if consecutive_fallbacks(tracker.events) >= HANDOFF_AT:
            return await queue_for_mediator(dispatcher, tracker, Reason.FALLBACK, intro=FALLBACK_INTRO)
        out_of_scope = (tracker.latest_message.get("intent") or {}).get("name") == "out_of_scope"
        dispatcher.utter_message(response="utter_out_of_scope" if out_of_scope else "utter_fallback")
        # Forget the misunderstood turn so that an active form or story goes on unchanged.
        return [UserUtteranceReverted()]
