"""End of the booking form: book or move atomically, confirm with the reference; or stop on request."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.booking_common import NO_TARGET, reset_events, resident_language
from actions.deps import get_booking_service
from bot.booking import messages
from bot.booking.models import BookingNotFound, SlotFull, SlotUnavailable, TooManyBookings

Events = list[dict[str, Any]]


class ActionBookAppointment(Action):
    """Book (or move) the confirmed slot; if it was just taken, apologise and offer new slots."""

    def name(self) -> str:
        return "action_book_appointment"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> Events:
        mode = tracker.get_slot("booking_mode")
        if mode == "move" and tracker.get_slot("booking_target") == NO_TARGET:
            dispatcher.utter_message(response="utter_booking_none")
            return reset_events()
        slot_iso = tracker.get_slot("booking_slot")
        if mode not in ("new", "move") or not slot_iso or tracker.get_slot("booking_confirm") is not True:
            return reset_events()
        service = get_booking_service()
        start = datetime.fromisoformat(slot_iso)
        try:
            if mode == "move":
                booking = await service.move(tracker.sender_id, tracker.get_slot("booking_target"), start)
            else:
                booking = await service.book(
                    tracker.sender_id,
                    tracker.get_slot("booking_site"),
                    tracker.get_slot("booking_motive"),
                    start,
                    language=resident_language(tracker),
                )
        except (SlotFull, SlotUnavailable):
            dispatcher.utter_message(response="utter_booking_slot_taken")
            return [
                SlotSet("booking_slot", None),
                SlotSet("booking_confirm", None),
                SlotSet("booking_offers", None),
                SlotSet("booking_after", None),
                FollowupAction("booking_form"),
            ]
        except TooManyBookings:
            dispatcher.utter_message(
                response="utter_booking_too_many",
                **messages.rule_values(service.catalog.rules, resident_language(tracker)),
            )
            return reset_events()
        except BookingNotFound:
            dispatcher.utter_message(response="utter_booking_none")
            return reset_events()
        site, motive = service.site(booking.site_id), service.motive(booking.motive_id)
        local = booking.start.astimezone(service.sites.tz)
        shown = type(booking)(**{**booking.__dict__, "start": local})
        for text in messages.booked_texts(shown, site, motive, resident_language(tracker)):
            dispatcher.utter_message(text=text)
        return reset_events()


class ActionBookingStop(Action):
    """The user gives up ("laisse tomber", "stop rdv"): leave the form, nothing booked or cancelled."""

    def name(self) -> str:
        return "action_booking_stop"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> Events:
        loop = (tracker.active_loop or {}).get("name")
        if loop == "booking_cancel_form":
            dispatcher.utter_message(response="utter_booking_kept")
        elif tracker.get_slot("booking_mode") == "move":
            dispatcher.utter_message(response="utter_booking_move_stopped")
        else:
            dispatcher.utter_message(response="utter_booking_stopped")
        return [ActiveLoop(None), *reset_events()]
