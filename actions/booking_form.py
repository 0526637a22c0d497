"""Booking form validation: reads motive, site, date wish, numbered choices and yes/no from SMS replies."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction

from actions.booking_common import (
    BOOKING_SLOTS,
    NO_TARGET,
    KeepExtraSlots,
    entity,
    form_activating,
    is_digression,
    latest_intent,
    latest_text,
    parse_yes_no,
    resident_language,
)
from actions.booking_target import extract_target
from actions.deps import get_booking_service
from bot.booking.dates import parse_wish
from bot.booking.messages import rule_values
from bot.conversation.offers import BOOKING, OFFERS
from bot.replies import asks_other_days, parse_choice

NEW, MOVE, FULL = "new", "move", "full"
FORM = "booking_form"
Slots = dict[str, Any]


def _activating(tracker: Tracker) -> bool:
    """Whether the form is being (re)activated by this message (slots may be stale then)."""
    return form_activating(tracker, (FORM,))


def _requested(tracker: Tracker) -> str | None:
    """The slot asked last, None while activating (a carried-over value is stale)."""
    return None if _activating(tracker) else tracker.get_slot("requested_slot")


def _fresh_mode(tracker: Tracker) -> str | None:
    """The mode a new booking or move request starts, or None when continuing.

    A yes to an answer that offered a booking ("Écrivez RDV" then "oui") starts a new one, like RDV.
    """
    if not _activating(tracker):
        return None
    intent = latest_intent(tracker)
    offer = OFFERS.pending(tracker.events) if intent == "affirm" else None
    if offer is not None and offer.name == BOOKING.name:
        intent = "book_appointment"
    return {"book_appointment": NEW, "move_appointment": MOVE}.get(intent)


class ValidateBookingForm(KeepExtraSlots, FormValidationAction):
    """Fills the booking form (new booking or move) from whatever the user writes."""

    def name(self) -> str:
        return "validate_booking_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[str]:
        """Slots to fill for this mode (move: which booking, then slot; new: motive, site, slot)."""
        current = tracker.slots.get("booking_mode")
        mode = FULL if current == FULL else (_fresh_mode(tracker) or current or NEW)
        if mode == FULL:
            return ["booking_mode"]
        if mode == MOVE:
            if tracker.slots.get("booking_target") == NO_TARGET:
                return ["booking_mode", "booking_target"]
            return ["booking_mode", "booking_target", "booking_slot", "booking_confirm"]
        return ["booking_mode", "booking_motive", "booking_site", "booking_slot", "booking_confirm"]

    async def extract_booking_mode(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> Slots:
        """At activation: new booking or move, stale slots cleared (a full user gets FULL and a message)."""
        mode = _fresh_mode(tracker)
        if mode is None:
            return {"booking_mode": NEW} if _activating(tracker) and not tracker.get_slot("booking_mode") else {}
        fresh: Slots = {name: None for name in BOOKING_SLOTS}
        fresh["booking_mode"] = mode
        service = get_booking_service()
        if mode == NEW and len(await service.upcoming(tracker.sender_id)) >= service.catalog.rules.max_active_per_user:
            dispatcher.utter_message(
                response="utter_booking_too_many", **rule_values(service.catalog.rules, resident_language(tracker))
            )
            fresh["booking_mode"] = FULL
        return fresh

    async def extract_booking_motive(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> Slots:
        """Motive from the first message, or from the reply to the numbered menu."""
        catalog = get_booking_service().catalog
        text, requested = latest_text(tracker), _requested(tracker)
        if requested is None:
            if tracker.get_slot("booking_motive"):
                return {}
            found = catalog.find(entity(tracker, "motive") or "") or catalog.find(text)
            return {"booking_motive": found.id} if found else {}
        if requested != "booking_motive":
            return {}
        number = parse_choice(text)
        found = catalog.by_number(number) if number else None
        if found is None and is_digression(tracker) and len(text.split()) > 3:
            return {}  # a question that merely mentions "CAF" is answered, then the menu comes back
        found = found or catalog.find(entity(tracker, "motive") or "") or catalog.find(text)
        if found:
            return {"booking_motive": found.id}
        if is_digression(tracker):
            return {}
        dispatcher.utter_message(response="utter_booking_choose_number")
        return {"booking_motive": None}

    async def extract_booking_site(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> Slots:
        """Site from the first message, or from the reply to the numbered list of sites."""
        service = get_booking_service()
        text, requested = latest_text(tracker), _requested(tracker)
        motive = tracker.slots.get("booking_motive")
        offering = service.sites_for(motive) if motive else list(service.sites.sites)
        named = service.sites.find(entity(tracker, "site") or "") or service.sites.find(text)
        if requested is None:
            if tracker.get_slot("booking_site") or named is None:
                return {}
        elif requested != "booking_site":
            return {}
        else:
            number = parse_choice(text)
            if number and 1 <= number <= len(offering):
                named = offering[number - 1]
            if named is None:
                if is_digression(tracker):
                    return {}
                dispatcher.utter_message(response="utter_booking_choose_number")
                return {"booking_site": None}
        if motive and named not in offering:
            dispatcher.utter_message(response="utter_booking_site_lacks_motive", site=named.short_name)
            return {"booking_site": None}
        return {"booking_site": named.id}

    async def extract_booking_target(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> Slots:
        """Which booking to move."""
        return await extract_target(dispatcher, tracker, with_details=True)

    async def extract_booking_slot(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> Slots:
        """A number among the offers, "autres jours", or a new date wish."""
        text, requested = latest_text(tracker), _requested(tracker)
        service = get_booking_service()
        today = service.now().astimezone(service.sites.tz).date()
        if requested is None:
            wish = parse_wish(text, today) if latest_intent(tracker) != "affirm" else None
            return {"booking_date": wish.encode()} if wish and not tracker.get_slot("booking_slot") else {}
        if requested != "booking_slot":
            return {}
        offers: list[str] = tracker.get_slot("booking_offers") or []
        number = len(offers) + 1 if asks_other_days(text) else parse_choice(text)
        if number is not None and offers:
            if 1 <= number <= len(offers):
                return {"booking_slot": offers[number - 1]}
            if number == len(offers) + 1:
                return {"booking_slot": None, "booking_after": max(offers)[:10]}
            dispatcher.utter_message(response="utter_booking_choose_number")
            return {"booking_slot": None}
        wish = parse_wish(text, today)
        if wish is not None:
            return {"booking_slot": None, "booking_date": wish.encode(), "booking_after": None}
        if is_digression(tracker):
            return {}
        dispatcher.utter_message(response="utter_booking_choose_number")
        return {"booking_slot": None}

    async def extract_booking_confirm(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> Slots:
        """OUI books, NON goes back to the offers, a number picks another offer."""
        if _requested(tracker) != "booking_confirm":
            return {}
        answer = parse_yes_no(tracker)
        if answer is True:
            return {"booking_confirm": True}
        offers: list[str] = tracker.get_slot("booking_offers") or []
        number = parse_choice(latest_text(tracker))
        if number is not None and 1 <= number <= len(offers):
            return {"booking_slot": offers[number - 1], "booking_confirm": None}
        if answer is False:
            dispatcher.utter_message(response="utter_booking_not_reserved")
            return {"booking_slot": None, "booking_confirm": None}
        if is_digression(tracker):
            return {}
        dispatcher.utter_message(response="utter_booking_yes_or_no")
        return {"booking_confirm": None}
