"""Questions of the booking forms that need live data: motive menu, sites, offers, recap, which booking."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.booking_common import resident_language
from actions.deps import get_booking_service
from bot.booking import messages
from bot.booking.dates import DateWish
from bot.language.texts import localize

Events = list[dict[str, Any]]


class ActionAskBookingMotive(Action):
    """Numbered menu of motives."""

    def name(self) -> str:
        return "action_ask_booking_motive"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> Events:
        language = resident_language(tracker)
        menu = get_booking_service().catalog.menu(language)
        dispatcher.utter_message(text=messages.motive_question(menu, language))
        return []


class ActionAskBookingSite(Action):
    """Numbered list of the sites offering the chosen motive."""

    def name(self) -> str:
        return "action_ask_booking_site"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> Events:
        service = get_booking_service()
        motive = tracker.get_slot("booking_motive")
        sites = service.sites_for(motive) if motive else list(service.sites.sites)
        dispatcher.utter_message(text=messages.site_question(sites, service.sites.network, resident_language(tracker)))
        return []


class ActionAskBookingSlot(Action):
    """Offer three free slots (plus "autres jours"), remembering them for the numbered reply."""

    def name(self) -> str:
        return "action_ask_booking_slot"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> Events:
        service = get_booking_service()
        site = service.site(tracker.get_slot("booking_site"))
        wish = DateWish.decode(tracker.get_slot("booking_date"))
        after_raw = tracker.get_slot("booking_after")
        after = date.fromisoformat(after_raw) if after_raw else None
        offers = await service.offers(site.id, tracker.get_slot("booking_motive"), wish, after)
        if not offers and after is not None:
            dispatcher.utter_message(
                response="utter_booking_no_more_days",
                **messages.rule_values(service.catalog.rules, resident_language(tracker)),
            )
            offers, after = await service.offers(site.id, tracker.get_slot("booking_motive"), wish), None
        if not offers:
            dispatcher.utter_message(
                text=messages.no_slot_text(site, service.catalog.rules, resident_language(tracker))
            )
            dispatcher.utter_message(response="utter_booking_how_to_stop")
            return [SlotSet("booking_offers", None)]
        dispatcher.utter_message(text=messages.offers_text(offers, site, resident_language(tracker)))
        return [
            SlotSet("booking_offers", [s.start.isoformat() for s in offers]),
            SlotSet("booking_after", after.isoformat() if after else None),
        ]


class ActionAskBookingConfirm(Action):
    """Recap of the chosen slot, asking OUI or NON."""

    def name(self) -> str:
        return "action_ask_booking_confirm"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> Events:
        service = get_booking_service()
        site = service.site(tracker.get_slot("booking_site"))
        motive = service.motive(tracker.get_slot("booking_motive"))
        start = datetime.fromisoformat(tracker.get_slot("booking_slot"))
        slot = service.slot_shape(site.id, motive.id, start)
        language = resident_language(tracker)
        text = messages.confirm_question(slot, site, motive, language)
        if tracker.get_slot("booking_mode") == "move":
            text = f"{localize(messages.NEW_SLOT, language)} {text}"
        dispatcher.utter_message(text=text)
        return []


class ActionAskBookingTarget(Action):
    """Numbered list of the user's upcoming bookings."""

    def name(self) -> str:
        return "action_ask_booking_target"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> Events:
        service = get_booking_service()
        upcoming = await service.upcoming(tracker.sender_id)
        language = resident_language(tracker)
        lines = [service.describe(b, language) for b in upcoming]
        dispatcher.utter_message(text=messages.target_question(lines, language))
        return []


class ActionAskBookingCancelConfirm(Action):
    """Ask OUI or NON before cancelling."""

    def name(self) -> str:
        return "action_ask_booking_cancel_confirm"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> Events:
        service = get_booking_service()
        booking = await service.store.get(tracker.get_slot("booking_target"))
        if booking is None:
            dispatcher.utter_message(response="utter_booking_none")
            return []
        local = booking.start.astimezone(service.sites.tz)
        dispatcher.utter_message(text=messages.cancel_question(local, booking.ref, resident_language(tracker)))
        return []
