"""Counter appointments through the REST channel of the running stack (model, actions, Redis)."""

from __future__ import annotations

import asyncio
import re
import uuid
from datetime import datetime, timedelta

import pytest
import redis.asyncio as aioredis

from bot.booking.models import Booking
from bot.booking.store import BookingStore

pytestmark = pytest.mark.stack
REF = re.compile(r"référence : ([2-9A-HJKMNP-Z]{6})")


def _sender() -> str:
    return f"rest-booking-{uuid.uuid4().hex[:10]}"


def _say(stack, sender: str, text: str) -> str:
    return "\n".join(stack.texts(sender, text))


def _slot(stack, sender: str, name: str):
    return stack.tracker(sender)["slots"].get(name)


def _book_numbers_only(stack, sender: str) -> str:
    """RDV, then only numbers: motive 1 (CAF), site 2 (Vaulx-en-Velin), first slot; returns the recap."""
    assert "Répondez par un numéro" in _say(stack, sender, "rdv")
    assert "Vaulx-en-Velin" in _say(stack, sender, "1")
    offers = _say(stack, sender, "2")
    assert "Répondez 1, 2 ou 3." in offers and "4 : autres jours" in offers
    recap = _say(stack, sender, "1")
    assert "Répondez OUI ou NON" in recap
    return recap


def test_book_with_only_numbers_and_oui(stack):
    sender = _sender()
    recap = _book_numbers_only(stack, sender)
    assert "5 place de l'Exemple" in recap
    done = _say(stack, sender, "oui")
    assert "C'est réservé" in done and "5 place de l'Exemple" in done
    assert re.search(r"à \d{1,2}h", done)  # time
    assert re.search(r"(lundi|mardi|mercredi|jeudi|vendredi|samedi) \d", done)  # date
    assert "pièce d'identité" in done and "ANNULER RDV" in done
    assert REF.search(done)
    assert REF.search(done).group(1) in _say(stack, sender, "mes rdv")


def test_first_message_with_everything_and_free_text_date(stack):
    sender = _sender()
    offers = _say(stack, sender, "je veux un rdv caf demain matin a vaulx")
    assert "Répondez" in offers and "Vaulx-en-Velin" in offers
    assert _slot(stack, sender, "booking_motive") == "caf" and _slot(stack, sender, "booking_site") == "vaulx"
    offers = _say(stack, sender, "lundi aprem")
    assert "lundi" in offers
    recap = _say(stack, sender, "1")
    assert "Je réserve ?" in recap
    assert "C'est réservé" in _say(stack, sender, "oui")


def test_cancel_by_reply(stack):
    sender = _sender()
    _book_numbers_only(stack, sender)
    _say(stack, sender, "oui")
    question = _say(stack, sender, "annuler mon rdv")
    assert "Répondez OUI ou NON" in question
    assert "C'est annulé" in _say(stack, sender, "oui")
    assert "aucun rendez-vous" in _say(stack, sender, "mes rdv")


def test_move_by_reply(stack):
    sender = _sender()
    _book_numbers_only(stack, sender)
    old = REF.search(_say(stack, sender, "oui")).group(1)
    offers = _say(stack, sender, "déplacer mon rdv")
    assert "Répondez" in offers
    _say(stack, sender, "2")
    done = _say(stack, sender, "oui")
    new = REF.search(done).group(1)
    assert new != old
    listing = _say(stack, sender, "mes rdv")
    assert new in listing and old not in listing


def test_slot_taken_meanwhile(stack):
    sender = _sender()
    _book_numbers_only(stack, sender)
    start = datetime.fromisoformat(_slot(stack, sender, "booking_slot"))

    async def take() -> None:
        client = aioredis.Redis.from_url(stack.redis_url)
        booking = Booking("", "rest-someone-else", "vaulx", "caf", start, start + timedelta(minutes=30))
        await BookingStore(client).book(booking, capacity=1, limit=2, now=stack.clock.now())
        await client.close()

    asyncio.run(take())
    reply = _say(stack, sender, "oui")
    assert "Désolé" in reply and "Répondez 1, 2 ou 3." in reply
    assert "C'est réservé" in _say(stack, sender, "1") + _say(stack, sender, "oui")


def test_quit_mid_form(stack):
    sender = _sender()
    _say(stack, sender, "rdv")
    _say(stack, sender, "1")
    assert "Rien n'a été réservé" in _say(stack, sender, "laisse tomber")
    assert stack.tracker(sender).get("active_loop", {}).get("name") in (None, "")
    assert "aucun rendez-vous" in _say(stack, sender, "mes rdv")


def test_stop_rdv_is_not_sms_opt_out(stack):
    sender = _sender()
    _say(stack, sender, "rdv")
    assert "Rien n'a été réservé" in _say(stack, sender, "stop rdv")


def test_faq_digression_then_back_to_the_form(stack):
    sender = _sender()
    _say(stack, sender, "rdv")
    _say(stack, sender, "1")
    reply = _say(stack, sender, "c'est quoi le numéro de téléphone de la caf ?")
    assert "3230" in reply  # the FAQ answer
    assert "Dans quel lieu des PIMMS de Lyon ?" in reply  # and the pending question again
    assert "Répondez 1, 2 ou 3." in _say(stack, sender, "2")
