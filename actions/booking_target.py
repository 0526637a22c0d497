"""Choosing which of the user's bookings to cancel or move."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.booking_common import NO_TARGET, form_activating, is_digression, latest_intent, latest_text
from actions.deps import get_booking_service
from bot.booking.models import normalize_reference
from bot.replies import parse_choice


async def extract_target(
    dispatcher: CollectingDispatcher, tracker: Tracker, with_details: bool = False
) -> dict[str, Any]:
    """``booking_target``: automatic with 0 or 1 booking, else a number or a reference from the list.

    ``with_details`` also fills motive and site from the chosen booking (moving keeps them).
    """
    activating = form_activating(tracker, ("booking_form", "booking_cancel_form"))
    requested = None if activating else tracker.get_slot("requested_slot")
    if requested not in (None, "booking_target"):
        return {}
    restarting = latest_intent(tracker) in ("cancel_appointment", "move_appointment")
    if requested is None and tracker.get_slot("booking_target") and not restarting:
        return {}
    service = get_booking_service()
    upcoming = await service.upcoming(tracker.sender_id)
    chosen = None
    if requested is None:
        if len(upcoming) > 1:
            return {}
        chosen = upcoming[0] if upcoming else None
        if chosen is None:
            return {"booking_target": NO_TARGET}
    else:
        text = latest_text(tracker)
        number = parse_choice(text)
        if number is not None and 1 <= number <= len(upcoming):
            chosen = upcoming[number - 1]
        ref = normalize_reference(text)
        chosen = chosen or next((b for b in upcoming if b.ref in ref), None)
        if chosen is None:
            if is_digression(tracker):
                return {}
            dispatcher.utter_message(response="utter_booking_choose_number")
            return {"booking_target": None}
    slots: dict[str, Any] = {"booking_target": chosen.ref}
    if with_details:
        slots.update(booking_motive=chosen.motive_id, booking_site=chosen.site_id)
    return slots
