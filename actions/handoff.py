"""Hand-off to a human mediator: explicit request, urgent hand-off (danger), and the shared queueing step."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ConversationPaused, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import deps
from bot.activity import log as activity
from bot.activity.themes import recent_themes
from bot.handoff.models import Reason
from bot.handoff.triage import Triage, preview

HANDOFF_SLOT = "handoff_state"


def danger_of(tracker: Tracker) -> str:
    """The danger kind of the latest message (``danger_violence`` -> ``violence``), else empty."""
    intent = str((tracker.latest_message.get("intent") or {}).get("name") or "")
    return intent.removeprefix("danger_") if intent.startswith("danger_") else ""


# Answers that say nothing on their own ("oui" taking the MEDIATEUR offer, "2" for a button): the preview shows
# the message they answer instead.
SHORT_ANSWERS = frozenset({"affirm", "deny"})


def preview_text(events: list[dict[str, Any]]) -> str:
    """The resident's last message that says something by itself, else their last message."""
    said = [e for e in events if e.get("event") == "user" and str(e.get("text") or "").strip()]
    telling = [
        e
        for e in said
        if ((e.get("parse_data") or {}).get("intent") or {}).get("name") not in SHORT_ANSWERS
        and not str(e.get("text")).strip().isdigit()
        and not str(e.get("text")).startswith("/")
    ]
    chosen = telling or said
    return preview(str(chosen[-1]["text"])) if chosen else ""


def triage_of(tracker: Tracker) -> Triage:
    """What the queue shows of the conversation: danger, recent FAQ themes, a preview, the site slot."""
    site = tracker.get_slot("home_site")
    return Triage(danger_of(tracker), recent_themes(tracker.events), preview_text(tracker.events), str(site or ""))


async def queue_for_mediator(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    reason: Reason,
    urgent: bool = False,
    intro: str | None = None,
) -> list[EventType]:
    """Queue the conversation (``HandoffService.request``), say what it answers, and pause the assistant."""
    requested = await deps.get_handoff_service().request(
        tracker.sender_id,
        reason,
        deps.get_clock()(),
        urgent=urgent,
        triage=triage_of(tracker),
        intro=intro,
        language=language_of(tracker),
    )
    for text in requested.texts:
        dispatcher.utter_message(text=text)
    return [SlotSet(HANDOFF_SLOT, requested.record.state.value), ConversationPaused()]


def language_of(tracker: Tracker) -> str:
    """The resident's language (the ``language`` slot, issue 23); French when unset."""
    return str(tracker.get_slot("language") or "fr")


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
        site = deps.get_handoff_service().site_for(tracker.get_slot("home_site"))
        await deps.get_activity().record(
            activity.DANGER, tracker.sender_id, danger=danger_of(tracker) or "unsure", site=site.id
        )
        return await queue_for_mediator(dispatcher, tracker, Reason.URGENT, urgent=True)
