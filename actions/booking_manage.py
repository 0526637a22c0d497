"""Cancelling and listing appointments by SMS replies."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction

from actions.booking_common import (
    NO_TARGET,
    KeepExtraSlots,
    form_activating,
    is_digression,
    latest_text,
    parse_yes_no,
    reset_events,
    resident_language,
)
from actions.booking_target import extract_target
from actions.deps import get_booking_service
from bot.booking import messages
from bot.booking.models import BookingNotFound
from bot.replies import parse_choice

Events = list[dict[str, Any]]


class ValidateBookingCancelForm(KeepExtraSlots, FormValidationAction):
    """Which booking to cancel (automatic when only one), then OUI/NON."""

    def name(self) -> str:
        return "validate_booking_cancel_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[str]:
        """Only the target when there is nothing to cancel."""
        if tracker.slots.get("booking_target") == NO_TARGET:
            return ["booking_target"]
        return ["booking_target", "booking_cancel_confirm"]

    async def extract_booking_target(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        """Which booking."""
        return await extract_target(dispatcher, tracker)

    async def extract_booking_cancel_confirm(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        """OUI cancels, NON keeps it."""
        if form_activating(tracker, ("booking_cancel_form",)):
            return {"booking_cancel_confirm": None} if tracker.get_slot("booking_cancel_confirm") is not None else {}
        if tracker.get_slot("requested_slot") != "booking_cancel_confirm":
            return {}
        answer = parse_yes_no(tracker)
        if answer is None and parse_choice(latest_text(tracker)) is None and is_digression(tracker):
            return {}
        if answer is None:
            dispatcher.utter_message(response="utter_booking_yes_or_no_cancel")
        return {"booking_cancel_confirm": answer}


class ActionCancelAppointment(Action):
    """Cancel the chosen booking once confirmed; its slot and reminder are freed."""

    def name(self) -> str:
        return "action_cancel_appointment"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> Events:
        target = tracker.get_slot("booking_target")
        if target in (None, NO_TARGET):
            dispatcher.utter_message(response="utter_booking_none")
            return reset_events()
        if tracker.get_slot("booking_cancel_confirm") is not True:
            dispatcher.utter_message(response="utter_booking_kept")
            return reset_events()
        service = get_booking_service()
        try:
            booking = await service.cancel(tracker.sender_id, target)
        except BookingNotFound:
            dispatcher.utter_message(response="utter_booking_none")
            return reset_events()
        dispatcher.utter_message(
            response="utter_booking_cancelled", booking=service.describe(booking, resident_language(tracker))
        )
        return reset_events()


class ActionListAppointments(Action):
    """The user's upcoming appointments."""

    def name(self) -> str:
        return "action_list_appointments"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> Events:
        service = get_booking_service()
        upcoming = await service.upcoming(tracker.sender_id)
        if not upcoming:
            dispatcher.utter_message(response="utter_booking_none")
            return []
        language = resident_language(tracker)
        dispatcher.utter_message(text=messages.list_text([service.describe(b, language) for b in upcoming], language))
        return []
