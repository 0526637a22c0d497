"""The booking form driven reply by reply, as an SMS user would: "rdv caf", "1", "oui"..."""

from __future__ import annotations

from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from actions.booking_ask import ActionAskBookingConfirm, ActionAskBookingMotive, ActionAskBookingSlot
from actions.booking_form import ValidateBookingForm
from actions.booking_submit import ActionBookAppointment, ActionBookingStop
from bot.booking.service import BookingService
from tests.unit.bot.booking.helpers import USER, booking_domain, make_tracker, slot_values


def new_caf_booking(site: str, **slots: Any) -> dict[str, Any]:
    """The slots of a new CAF booking at ``site``, plus ``slots``."""
    return {"booking_mode": "new", "booking_motive": "caf", "booking_site": site, **slots}


async def validate(
    slots: dict[str, Any], text: str, intent: str = "choose", entities: list[dict[str, Any]] | None = None
) -> tuple[dict[str, Any], CollectingDispatcher]:
    dispatcher = CollectingDispatcher()
    loop = "booking_form" if slots.get("requested_slot") else None  # None: this message activates the form
    tracker = make_tracker(text, intent, slots, entities, active_loop=loop)
    events = await ValidateBookingForm().run(dispatcher, tracker, booking_domain())
    return {**slots, **slot_values(events)}, dispatcher


async def ask(action: Any, slots: dict[str, Any]) -> tuple[dict[str, Any], CollectingDispatcher]:
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, make_tracker("", "", slots), booking_domain())
    return {**slots, **slot_values(events)}, dispatcher


async def test_first_message_with_motive_site_and_date_only_asks_the_slot(service: BookingService) -> None:
    slots, _ = await validate({}, "je veux un rdv caf demain matin a vaulx", "book_appointment")
    assert slots["booking_mode"] == "new"
    assert slots["booking_motive"] == "caf" and slots["booking_site"] == "vaulx"
    assert slots["booking_date"] == "2026-11-28|matin|"
    assert slots["requested_slot"] == "booking_slot"
    slots, dispatcher = await ask(ActionAskBookingSlot(), slots)
    text = dispatcher.messages[0]["text"]
    assert "1 : samedi 28 novembre à 9h" in text and "4 : autres jours" in text and "Répondez 1, 2 ou 3." in text
    assert len(slots["booking_offers"]) == 3


async def test_booking_with_only_numbers_and_oui(service: BookingService) -> None:
    slots, _ = await validate({}, "rdv", "book_appointment")
    assert slots["requested_slot"] == "booking_motive"
    slots, _ = await validate(slots, "1")
    assert slots["booking_motive"] == "caf" and slots["requested_slot"] == "booking_site"
    slots, _ = await validate(slots, "2")
    assert slots["booking_site"] == "vaulx" and slots["requested_slot"] == "booking_slot"
    slots, _ = await ask(ActionAskBookingSlot(), slots)
    slots, _ = await validate(slots, "1")
    assert slots["booking_slot"] == slots["booking_offers"][0]
    slots, dispatcher = await ask(ActionAskBookingConfirm(), slots)
    assert "Répondez OUI ou NON" in dispatcher.messages[0]["text"]
    slots, _ = await validate(slots, "oui", "affirm")
    assert slots["booking_confirm"] is True and slots["requested_slot"] is None
    dispatcher = CollectingDispatcher()
    events = await ActionBookAppointment().run(dispatcher, make_tracker("oui", "affirm", slots), booking_domain())
    texts = [m["text"] for m in dispatcher.messages]
    assert "C'est réservé : vendredi 27 novembre à 10h" in texts[0] and "Vaulx-en-Velin" in texts[0]
    assert "Votre référence : " in texts[0]
    assert "pièce d'identité" in texts[1] and "ANNULER RDV" in texts[1]
    assert all(v is None for v in slot_values(events).values())
    assert len(await service.upcoming(USER)) == 1


async def test_free_text_date_and_other_days(service: BookingService) -> None:
    slots = new_caf_booking("lyon8", requested_slot="booking_slot")
    slots, _ = await validate(slots, "le 3 décembre vers 10h", "inform")
    assert slots["booking_date"] == "2026-12-03|matin|10:00" and slots["booking_slot"] is None
    slots, dispatcher = await ask(ActionAskBookingSlot(), slots)
    assert [o[11:16] for o in slots["booking_offers"]] == ["09:30", "10:00", "10:30"]
    slots, _ = await validate(slots, "4")
    assert slots["booking_after"] == "2026-12-03"
    slots, _ = await ask(ActionAskBookingSlot(), slots)
    assert min(slots["booking_offers"])[:10] > "2026-12-03"


async def test_unclear_reply_is_asked_again_and_faq_is_let_through(service: BookingService) -> None:
    slots = {"booking_mode": "new", "requested_slot": "booking_motive"}
    new, dispatcher = await validate(slots, "euh je sais pas", "nlu_fallback")
    assert new["booking_motive"] is None
    assert dispatcher.messages[0]["response"] == "utter_booking_choose_number"
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("quels papiers pour le rsa", "faq", slots, active_loop="booking_form")
    events = await ValidateBookingForm().run(dispatcher, tracker, booking_domain())
    assert [e for e in events if e["name"] != "requested_slot"] == []  # the form rejects: rules answer the FAQ


async def test_no_goes_back_to_offers_and_stop_leaves(service: BookingService) -> None:
    slots = new_caf_booking(
        "lyon8",
        booking_slot="2026-12-01T09:00:00+01:00",
        booking_offers=["2026-12-01T09:00:00+01:00"],
        requested_slot="booking_confirm",
    )
    slots, dispatcher = await validate(slots, "non", "deny")
    assert slots["booking_slot"] is None and slots["requested_slot"] == "booking_slot"
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("laisse tomber", "stop_booking", slots, active_loop="booking_form")
    events = await ActionBookingStop().run(dispatcher, tracker, booking_domain())
    assert events[0] == {"event": "active_loop", "name": None, "timestamp": None}
    assert dispatcher.messages[0]["response"] == "utter_booking_stopped"


async def test_slot_taken_meanwhile_offers_new_ones(service: BookingService) -> None:
    start = "2026-11-30T13:30:00+01:00"
    from datetime import datetime

    await service.book("sms-33600000000", "vaulx", "caf", datetime.fromisoformat(start))
    slots = new_caf_booking("vaulx", booking_slot=start, booking_confirm=True)
    dispatcher = CollectingDispatcher()
    events = await ActionBookAppointment().run(dispatcher, make_tracker("oui", "affirm", slots), booking_domain())
    assert dispatcher.messages[0]["response"] == "utter_booking_slot_taken"
    assert {"event": "followup", "name": "booking_form", "timestamp": None} in events
    assert slot_values(events)["booking_slot"] is None
    assert await service.upcoming(USER) == []


async def test_a_user_with_two_bookings_is_told_at_once(service: BookingService) -> None:
    from datetime import datetime

    for start in ("2026-11-30T13:30:00+01:00", "2026-12-01T09:00:00+01:00"):
        await service.book(USER, "vaulx", "caf", datetime.fromisoformat(start))
    slots, dispatcher = await validate({}, "rdv caf", "book_appointment")
    assert slots["booking_mode"] == "full" and slots["requested_slot"] is None
    assert dispatcher.messages[0]["response"] == "utter_booking_too_many"


async def test_a_new_request_clears_slots_left_by_an_expired_session(service: BookingService) -> None:
    stale = new_caf_booking("vaulx", booking_offers=["2026-11-30T13:30:00+01:00"], requested_slot="booking_slot")
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("rdv france travail", "book_appointment", stale, active_loop=None)
    events = await ValidateBookingForm().run(dispatcher, tracker, booking_domain())
    slots = {**stale, **slot_values(events)}
    assert slots["booking_motive"] == "france_travail" and slots["booking_site"] is None
    assert slots["booking_offers"] is None and slots["requested_slot"] == "booking_site"


async def test_a_resident_who_chose_english_books_in_english(service: BookingService) -> None:
    """Issue 23: the menu, the offers, the recap and the confirmation in English; "yes" books; the booking
    records the language."""
    slots, _ = await validate({"language": "en"}, "rdv", "book_appointment")
    slots, dispatcher = await ask(ActionAskBookingMotive(), slots)
    assert dispatcher.messages[0]["text"].startswith("What is it for? Reply with a number:\n1 : CAF\n")
    assert "4 : Residence permit" in dispatcher.messages[0]["text"]  # the motives' labels in English too
    slots, _ = await validate(slots, "1")
    slots, _ = await validate(slots, "2")
    slots, dispatcher = await ask(ActionAskBookingSlot(), slots)
    offers = dispatcher.messages[0]["text"]
    assert "Free times at Vaulx-en-Velin:" in offers and "4 : other days" in offers and "Reply 1, 2 or 3." in offers
    assert "1 : Friday 27 November at 10:00" in offers
    slots, _ = await validate(slots, "1")
    slots, dispatcher = await ask(ActionAskBookingConfirm(), slots)
    assert "on Friday 27 November at 10:00" in dispatcher.messages[0]["text"]
    assert dispatcher.messages[0]["text"].endswith("Shall I book it? Reply YES or NO.")
    slots, _ = await validate(slots, "yes", "")
    assert slots["booking_confirm"] is True
    dispatcher = CollectingDispatcher()
    await ActionBookAppointment().run(dispatcher, make_tracker("yes", "", slots), booking_domain())
    texts = [m["text"] for m in dispatcher.messages]
    assert texts[0].startswith("It is booked: Friday 27 November at 10:00, ") and "Your reference: " in texts[0]
    assert texts[1].startswith("Bring: ID document, social security number, letters from the CAF.")
    assert "To cancel, write ANNULER RDV." in texts[1]
    [booking] = await service.upcoming(USER)
    assert booking.language == "en"
