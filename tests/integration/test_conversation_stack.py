"""A conversation, not a list of questions, on the running stack (issue 25): short follow-ups read against the
last answers, offers taken up by a yes or closed by a no, and what a resident waiting for a mediator is told,
through REST and SMS. The stack lives on Wednesday 9 December 2026, 10:00 Paris (tests/integration/stack_clock.py)."""

from __future__ import annotations

from typing import Any

import pytest

from bot.conversation.answers import relative_intro
from bot.conversation.offers import BOOKING, STEPS
from bot.handoff import messages
from bot.kb.model import load_kb
from bot.text import normalize
from tests.integration.stack_client import handoff, send_sms
from tests.waiting import wait_until

pytestmark = pytest.mark.stack
KB = {entry.id: entry for entry in load_kb()}
MOTIVE_MENU = "c est pour quelle demarche"


def said(texts: list[str], needle: str) -> bool:
    """Whether ``needle`` is in the replies (case, accents, punctuation and SMS line breaks ignored)."""
    return f" {normalize(needle)} " in f" {normalize(' '.join(texts))} "


def first_step(topic: str) -> str:
    return KB[topic].steps[0]


def test_how_to_apply_right_after_an_answer_gives_its_steps(stack: Any) -> None:
    sid = "conv-how-1"
    assert said(stack.texts(sid, "c quoi le rsa"), "RSA")
    assert said(stack.texts(sid, "ok et comment je fais ?"), first_step("caf_rsa"))


def test_another_day_of_the_same_counter(stack: Any) -> None:
    sid = "conv-day-1"
    assert said(stack.texts(sid, "horaires vaulx"), "Vaulx-en-Velin")
    assert stack.texts(sid, "et le mercredi après-midi ?") == [
        "Vaulx-en-Velin, le mercredi après-midi : ouvert 13h30-17h."
    ]
    assert stack.texts(sid, "et le samedi ?") == ["Vaulx-en-Velin, le samedi : ouvert 9h-12h."]
    assert said(stack.texts(sid, "c'est où ?"), "5 place de l'Exemple")


def test_the_same_right_for_a_spouse_then_its_steps(stack: Any) -> None:
    sid = "conv-relative-1"
    first = stack.texts(sid, "c quoi la complementaire sante solidaire")
    again = stack.texts(sid, "et pour ma femme ?")
    assert again[0] == relative_intro("votre femme") and again[1:] == first[-1:]
    assert said(stack.texts(sid, "plus"), first_step("css"))


def test_a_full_question_changes_the_topic(stack: Any) -> None:
    sid = "conv-switch-1"
    stack.texts(sid, "c quoi le rsa")
    assert said(stack.texts(sid, "et comment je m inscris a france travail"), "francetravail.fr")


def test_yes_to_an_offered_appointment_starts_the_booking(stack: Any) -> None:
    sid = "conv-offer-rdv"
    answer = stack.texts(sid, "le numero de la caf")
    assert said(answer, "ecrivez RDV")
    reply = stack.texts(sid, "ok je veux bien")
    assert said(reply, MOTIVE_MENU) and not said(reply, "que puis je faire")
    assert stack.tracker(sid)["active_loop"].get("name") == BOOKING.action


def test_yes_to_details_sends_the_steps_and_no_closes_politely(stack: Any) -> None:
    sid = "conv-offer-plus"
    assert said(stack.texts(sid, "c quoi la prime d activite"), "repondez PLUS")
    assert said(stack.texts(sid, "oui"), first_step("caf_prime_activite"))
    sid = "conv-offer-no"
    stack.texts(sid, "c quoi la prime d activite")
    assert stack.texts(sid, "non merci") == [STEPS.declined]


def test_a_question_while_waiting_gets_the_place_in_the_queue_once_a_minute(stack: Any) -> None:
    sid = "conv-wait-status"
    assert said(stack.texts(sid, "je veux parler a un conseiller"), "ANNULER")
    assert stack.texts(sid, "c pour mon dossier caf") == []  # just told where they stand
    status = stack.texts(sid, "ça va être long ?")  # other tests may have left residents waiting before
    assert len(status) == 1 and status[0].startswith("Vous êtes ")
    assert status[0].endswith("dans la file d'attente. Un médiateur vous répond ici dès que possible.")
    assert stack.texts(sid, "y a quelqu'un ?") == []  # not more than once a minute
    assert handoff(stack, sid)["state"] == "waiting"


def test_a_withdrawal_in_plain_words_ends_the_wait(stack: Any) -> None:
    if not stack.env.get("CONSOLE_PORT"):
        pytest.skip("the console (which watches waiting conversations) is not part of the stack")
    sid = "conv-wait-withdraw"
    stack.texts(sid, "mediateur")
    assert stack.texts(sid, "laissez tomber, c'est réglé") == []  # Rasa is paused: the console's watcher reacts
    wait_until(lambda: (handoff(stack, sid) or {}).get("state") == "bot")
    assert [m["text"] for m in stack.callback.wait_for(sid, 1)][-1] == messages.CANCELLED


def sms_says(fake_twilio: Any, phone: str, after: int, needle: str) -> bool:
    """Wait until an SMS sent to ``phone`` after the first ``after`` ones says ``needle`` (GSM-7, maybe split)."""
    return bool(wait_until(lambda: said(fake_twilio.bodies_to(phone)[after:], needle)))


def test_sms_follow_up_and_offer(stack: Any, fake_twilio: Any) -> None:
    phone = "+33612349101"
    send_sms(stack, phone, "horaires lyon 8")
    assert sms_says(fake_twilio, phone, 0, "Lyon 8e")
    count = len(fake_twilio.bodies_to(phone))
    send_sms(stack, phone, "et le samedi ?")
    assert sms_says(fake_twilio, phone, count, "Lyon 8e, le samedi : ferme.")
    count = len(fake_twilio.bodies_to(phone))
    send_sms(stack, phone, "le numero de la caf")
    assert sms_says(fake_twilio, phone, count, "ecrivez RDV")
    count = len(fake_twilio.bodies_to(phone))
    send_sms(stack, phone, "oui")
    assert sms_says(fake_twilio, phone, count, MOTIVE_MENU)


def test_sms_question_while_waiting(stack: Any, fake_twilio: Any) -> None:
    phone, sid = "+33612349102", "sms-33612349102"
    send_sms(stack, phone, "je veux parler a un conseiller")
    assert sms_says(fake_twilio, phone, 0, "ANNULER")
    wait_until(lambda: (handoff(stack, sid) or {}).get("state") == "waiting")
    count = len(fake_twilio.bodies_to(phone))
    send_sms(stack, phone, "vous etes la ? ca va etre long ?")
    assert sms_says(fake_twilio, phone, count, "dans la file d'attente. Un mediateur vous repond ici")
