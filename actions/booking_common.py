"""Helpers shared by the booking actions: reading the tracker, yes / no with the NLU intent, slot resets."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

from bot.replies import yes_or_no

BOOKING_SLOTS = (
    "booking_mode",
    "booking_motive",
    "booking_site",
    "booking_date",
    "booking_target",
    "booking_slot",
    "booking_confirm",
    "booking_offers",
    "booking_after",
    "booking_cancel_confirm",
)
NO_TARGET = "none"
DIGRESSION_INTENTS = {"faq", "stop_booking", "cancel_appointment"}
INTERRUPTING_INTENTS = {"human_handoff"}


def resident_language(tracker: Tracker) -> str:
    """The resident's language (the ``language`` slot, issue 23); French when unset."""
    return str(tracker.get_slot("language") or "fr")


def form_activating(tracker: Tracker, forms: tuple[str, ...]) -> bool:
    """Whether none of ``forms`` runs yet, or one is being activated by this very message.

    At activation Rasa already marks the form active: its ActiveLoop event then follows the latest user
    message, whereas a form continuing from an earlier turn was activated before it.
    """
    name = (tracker.active_loop or {}).get("name")
    if name not in forms:
        return True
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "active_loop" and event.get("name") == name:
            return True
    return False


def interrupts_form(tracker: Tracker) -> bool:
    """Whether the message must leave the form to other rules (danger, request for a person)."""
    intent = latest_intent(tracker)
    return (intent.startswith("danger_") and intent != "danger_unsure") or intent in INTERRUPTING_INTENTS


class KeepExtraSlots:
    """Mixin for FormValidationAction: keep slots extracted beside the required ones.

    rasa_sdk drops extracted slots that are not required (offers, date wish, "autres jours" marker,
    motive and site copied from a booking being moved); booking slots must survive.
    A danger message or a request for a person fills nothing, so Rasa rejects the form and the
    interruption rules (data/rules/interruptions.yml) answer first.
    """

    async def run(self, dispatcher: Any, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        """Validate the form unless the message interrupts it."""
        if interrupts_form(tracker):
            return []
        events: list[dict[str, Any]] = await super().run(dispatcher, tracker, domain)  # type: ignore[misc]
        return events

    async def get_validation_events(
        self, dispatcher: Any, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Validation events plus the extra booking slots set by this turn's extraction."""
        events: list[dict[str, Any]] = await super().get_validation_events(dispatcher, tracker, domain)  # type: ignore[misc]
        kept = {e["name"] for e in events}
        extras = {k: v for k, v in tracker.slots_to_validate().items() if k in BOOKING_SLOTS and k not in kept}
        return events + [SlotSet(k, v) for k, v in extras.items()]


def latest_text(tracker: Tracker) -> str:
    """The latest user message text."""
    return tracker.latest_message.get("text") or ""


def latest_intent(tracker: Tracker) -> str:
    """The latest intent name (retrieval intents reduced to their base, e.g. ``faq``)."""
    name = (tracker.latest_message.get("intent") or {}).get("name") or ""
    return name.split("/")[0]


def entity(tracker: Tracker, name: str) -> str | None:
    """The first value of an entity in the latest message."""
    value = next(tracker.get_latest_entity_values(name), None)
    return str(value) if value is not None else None


def is_digression(tracker: Tracker) -> bool:
    """Whether the message is a side question or a quit request (the form must let rules handle it)."""
    return latest_intent(tracker) in DIGRESSION_INTENTS


def parse_yes_no(tracker: Tracker) -> bool | None:
    """True for a yes, False for a no (the words of ``bot.replies``, else the NLU intent), None otherwise."""
    answer = yes_or_no(latest_text(tracker))
    if answer is not None:
        return answer
    intent = latest_intent(tracker)
    if intent == "affirm":
        return True
    if intent == "deny":
        return False
    return None


def reset_events() -> list[dict[str, Any]]:
    """Forget every booking slot (after success, abandon or cancel)."""
    return [SlotSet(name, None) for name in BOOKING_SLOTS] + [SlotSet("requested_slot", None)]
