"""Offers taken up by a yes, closed by a no; follow-ups answered from the conversation's last answers."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions import deps
from actions.booking_form import ValidateBookingForm
from actions.conversation import ActionCapabilities, ActionFollowUp, ActionYesNo
from actions.faq_more import ActionFaqMore
from bot.booking.service import BookingService
from bot.clock import fixed_clock
from bot.conversation.offers import BOOKING
from bot.kb.model import Entry
from tests.sites import fixture_sites
from tests.trackers import make_tracker, user
from tests.unit.bot.booking.helpers import booking_domain, slot_values

CAF = "Pour joindre la CAF : appelez le 3230. Besoin d'aide ? Écrivez RDV pour venir au PIMMS."
RSA = "Le RSA est un revenu minimum. Détails : répondez PLUS."
KB = {"caf_rsa": Entry("caf_rsa", "caf", "Le RSA...", (), (), None, steps=("1. Simulez.", "2. Demandez."))}


@pytest.fixture(autouse=True)
def context_deps() -> Iterator[None]:
    deps.get_kb.override(KB)
    deps.get_sites.override(fixture_sites())
    deps.get_clock.override(fixed_clock(datetime(2026, 12, 9, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))))
    yield
    deps.reset()


def bot(text: str, utter: str = "") -> dict[str, Any]:
    return {"event": "bot", "text": text, "metadata": {"utter_action": utter} if utter else {}}


async def run(action: Any, events: list[dict[str, Any]], slots: dict[str, Any] | None = None) -> tuple[list, list]:
    dispatcher = CollectingDispatcher()
    result = await action.run(dispatcher, make_tracker(events, slots), {})
    return result, dispatcher.messages


async def test_yes_to_an_answer_that_offers_a_booking_starts_the_booking_form() -> None:
    events, said = await run(ActionYesNo(), [user("caf", "faq"), bot(CAF), user("ok je veux bien", "affirm")])
    assert said == [] and events == [{"event": "followup", "name": "booking_form", "timestamp": None}]


async def test_yes_to_details_sends_the_steps_and_no_closes_politely() -> None:
    answered = [user("rsa", "faq"), bot(RSA, "utter_faq/caf_rsa")]
    events, _ = await run(ActionYesNo(), [*answered, user("oui", "affirm")])
    assert events[0]["name"] == "action_faq_more"
    _, steps = await run(ActionFaqMore(), [*answered, user("oui", "affirm")])
    assert steps[0]["text"] == "1. Simulez.\n2. Demandez."
    events, said = await run(ActionYesNo(), [*answered, user("non merci", "deny")])
    assert events == [] and said[0]["text"] == "D'accord. Avez-vous une autre question ?"


async def test_yes_without_an_offer_asks_what_to_do() -> None:
    events, said = await run(ActionYesNo(), [user("merci", "thanks"), bot("Avec plaisir."), user("oui", "affirm")])
    assert events == [] and said[0]["response"] == "utter_affirm_no_context"


async def test_the_form_started_by_a_yes_is_a_new_booking(service: BookingService) -> None:
    stale = {"booking_mode": "move", "booking_motive": "caf", "booking_site": "vaulx"}
    tracker = make_tracker([user("caf", "faq"), bot(CAF), user("oui", "affirm")], stale)
    events = await ValidateBookingForm().run(CollectingDispatcher(), tracker, booking_domain())
    slots = {**stale, **slot_values(events)}
    assert slots["booking_mode"] == "new" and slots["booking_motive"] is None
    assert slots["requested_slot"] == "booking_motive"
    assert BOOKING.action == "booking_form"


async def test_follow_ups_read_the_last_answers() -> None:
    answered = [user("rsa", "faq"), bot(RSA, "utter_faq/caf_rsa")]
    _, said = await run(ActionFollowUp(), [*answered, user("comment je fais", "follow_up")])
    assert said[0]["text"] == "1. Simulez.\n2. Demandez."
    _, said = await run(ActionFollowUp(), [*answered, user("et pour ma femme ?", "follow_up")])
    assert said[0]["text"].startswith("Pour votre femme, voici les informations sur le même sujet.")
    assert said[1]["response"] == "utter_faq/caf_rsa"  # PLUS then still finds the topic
    hours = [user("horaires lyon 8", "ask_hours"), bot("Lyon 8e : ...")]
    _, said = await run(ActionFollowUp(), [*hours, user("et le mercredi aprem ?", "follow_up")])
    assert said[0]["text"] == "Lyon 8e, le mercredi après-midi : fermé (ouvert 9h-12h)."
    _, said = await run(ActionFollowUp(), [user("et le samedi ?", "follow_up")], {"home_site": "vaulx"})
    assert said[0]["text"] == "Vaulx-en-Velin, le samedi : ouvert 9h-12h."


async def test_how_does_it_work_right_after_an_answer_gives_its_steps() -> None:
    answered = [user("rsa", "faq"), bot(RSA, "utter_faq/caf_rsa")]
    _, said = await run(ActionCapabilities(), [*answered, user("comment ça marche", "capabilities")])
    assert said[0]["text"] == "1. Simulez.\n2. Demandez."
    _, said = await run(ActionCapabilities(), [user("comment ça marche", "capabilities")])
    assert said[0]["response"] == "utter_capabilities"
    _, said = await run(ActionCapabilities(), [*answered, user("tu sais faire quoi", "capabilities")])
    assert said[0]["response"] == "utter_capabilities"


async def test_no_naming_another_counter_after_the_hours_gives_that_counter() -> None:
    hours = [user("horaires lyon 8", "ask_hours"), bot("Lyon 8e : ..."), user("non plutot vaulx", "deny")]
    events, said = await run(ActionYesNo(), hours)
    assert said[0]["text"].startswith("PIMMS Vaulx-en-Velin (exemple) : lundi: 13h30-17h")
    assert events == [{"event": "slot", "name": "home_site", "value": "vaulx", "timestamp": None}]
