"""Cancel, move and list appointments through the actions, against real Redis."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from actions.booking_ask import ActionAskBookingCancelConfirm, ActionAskBookingTarget
from actions.booking_form import ValidateBookingForm
from actions.booking_manage import ActionCancelAppointment, ActionListAppointments, ValidateBookingCancelForm
from actions.booking_submit import ActionBookAppointment
from bot.booking.service import BookingService
from tests.unit.bot.booking.helpers import USER, booking_domain, make_tracker, slot_values

MONDAY = datetime.fromisoformat("2026-11-30T13:30:00+01:00")
TUESDAY = datetime.fromisoformat("2026-12-01T09:00:00+01:00")


async def run_validation(action: Any, slots: dict[str, Any], text: str, intent: str, loop: str) -> dict[str, Any]:
    tracker = make_tracker(text, intent, slots, active_loop=loop if slots.get("requested_slot") else None)
    events = await action.run(CollectingDispatcher(), tracker, booking_domain())
    return {**slots, **slot_values(events)}


async def test_cancel_the_only_booking_with_oui(service: BookingService) -> None:
    booking = await service.book(USER, "vaulx", "caf", MONDAY)
    form = ValidateBookingCancelForm()
    slots = await run_validation(form, {}, "annuler mon rdv", "cancel_appointment", "booking_cancel_form")
    assert slots["booking_target"] == booking.ref
    slots["requested_slot"] = "booking_cancel_confirm"  # Rasa requests the next domain slot itself
    dispatcher = CollectingDispatcher()
    await ActionAskBookingCancelConfirm().run(dispatcher, make_tracker("", "", slots), booking_domain())
    assert "lundi 30 novembre à 13h30" in dispatcher.messages[0]["text"]
    slots = await run_validation(form, slots, "oui", "affirm", "booking_cancel_form")
    assert slots["booking_cancel_confirm"] is True
    dispatcher = CollectingDispatcher()
    await ActionCancelAppointment().run(dispatcher, make_tracker("oui", "affirm", slots), booking_domain())
    assert dispatcher.messages[0]["response"] == "utter_booking_cancelled"
    assert await service.upcoming(USER) == []
    assert await service.store.day_load("vaulx", MONDAY.date()) == {"13:30": 0}


async def test_cancel_with_two_bookings_asks_which_and_non_keeps_it(service: BookingService) -> None:
    await service.book(USER, "vaulx", "caf", MONDAY)
    second = await service.book(USER, "lyon8", "courrier", TUESDAY)
    form = ValidateBookingCancelForm()
    slots = await run_validation(form, {}, "annuler rdv", "cancel_appointment", "booking_cancel_form")
    assert slots.get("booking_target") is None
    slots["requested_slot"] = "booking_target"
    dispatcher = CollectingDispatcher()
    await ActionAskBookingTarget().run(dispatcher, make_tracker("", "", slots), booking_domain())
    assert "1 : lundi 30 novembre à 13h30" in dispatcher.messages[0]["text"]
    slots = await run_validation(form, slots, "2", "choose", "booking_cancel_form")
    assert slots["booking_target"] == second.ref
    slots["requested_slot"] = "booking_cancel_confirm"
    slots = await run_validation(form, slots, "non", "deny", "booking_cancel_form")
    dispatcher = CollectingDispatcher()
    await ActionCancelAppointment().run(dispatcher, make_tracker("non", "deny", slots), booking_domain())
    assert dispatcher.messages[0]["response"] == "utter_booking_kept"
    assert len(await service.upcoming(USER)) == 2


async def test_nothing_to_cancel(service: BookingService) -> None:
    slots = await run_validation(
        ValidateBookingCancelForm(), {}, "annuler", "cancel_appointment", "booking_cancel_form"
    )
    assert slots["booking_target"] == "none" and slots["requested_slot"] is None
    dispatcher = CollectingDispatcher()
    await ActionCancelAppointment().run(dispatcher, make_tracker("", "", slots), booking_domain())
    assert dispatcher.messages[0]["response"] == "utter_booking_none"


async def test_move_keeps_motive_and_site_and_books_the_new_slot(service: BookingService) -> None:
    old = await service.book(USER, "vaulx", "caf", MONDAY)
    form = ValidateBookingForm()
    slots = await run_validation(form, {}, "deplacer mon rdv a mardi", "move_appointment", "booking_form")
    assert slots["booking_mode"] == "move" and slots["booking_target"] == old.ref
    assert slots["booking_motive"] == "caf" and slots["booking_site"] == "vaulx"
    assert slots["booking_date"] == "2026-12-01|||2026-12-08" and slots["requested_slot"] == "booking_slot"
    slots["booking_offers"] = [TUESDAY.isoformat()]
    slots = await run_validation(form, slots, "1", "choose", "booking_form")
    slots = await run_validation(form, slots, "ok", "affirm", "booking_form")
    assert slots["booking_confirm"] is True and slots["requested_slot"] is None
    dispatcher = CollectingDispatcher()
    await ActionBookAppointment().run(dispatcher, make_tracker("ok", "affirm", slots), booking_domain())
    assert "mardi 1er décembre à 9h" in dispatcher.messages[0]["text"]
    upcoming = await service.upcoming(USER)
    assert [b.start for b in upcoming] == [TUESDAY] and upcoming[0].ref != old.ref
    assert (await service.store.get(old.ref)).status == "moved"


async def test_list_appointments(service: BookingService) -> None:
    dispatcher = CollectingDispatcher()
    await ActionListAppointments().run(dispatcher, make_tracker("mes rdv", "my_appointments"), booking_domain())
    assert dispatcher.messages[0]["response"] == "utter_booking_none"
    booking = await service.book(USER, "vaulx", "caf", MONDAY)
    dispatcher = CollectingDispatcher()
    await ActionListAppointments().run(dispatcher, make_tracker("mes rdv", "my_appointments"), booking_domain())
    assert f"lundi 30 novembre à 13h30, Vaulx-en-Velin (CAF), réf. {booking.ref}" in dispatcher.messages[0]["text"]
