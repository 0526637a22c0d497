"""Residents' data on the running stack (model, actions, Redis, fake Twilio and Telegram, console, worker).

Erasure by SMS and by Telegram leaves no key naming the sender except the opt-out (SCAN), frees the slot and
cancels the reminder; the export holds the messages, bookings and notes; CAF / France Travail questions about
"données" never lead to the erasure question; the first-contact notice is sent once; after a day of activity
through every feature, every key is registered and expires within its retention.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis
import redis.asyncio as aioredis
from arq.constants import job_key_prefix

from bot import wiring
from bot.booking.models import Booking
from bot.booking.motives import load_motives
from bot.booking.reminders import REMINDER_QUEUE, reminder_job_id
from bot.console.auth import MediatorAccounts
from bot.handoff.store import HandoffStore
from bot.ops import residents as cli
from bot.privacy import messages
from bot.privacy.retention import check_retention
from bot.settings import Settings
from tests.fakes.sanic_harness import sign
from tests.unit.bot.privacy.test_keywords import OTHER_ORGANISATIONS_DATA

pytestmark = pytest.mark.stack
SMS_PATH = "/webhooks/sms/webhook"
TG_PATH = "/webhooks/telegram/webhook"
CONFIRM_START = "Voulez-vous que j'efface"


def code_in(question: str) -> str:
    """The one-time code the erasure question gave."""
    found = re.search(r"EFFACER (\d{4})", question)
    assert found, question
    return found.group(1)


def settings_of(stack: Any) -> Settings:
    return Settings.from_env(stack.env)  # the stack's Redis and sites file


def run(coro: Any) -> Any:
    return asyncio.run(coro)


def keys_naming(stack: Any, fragment: str) -> list[str]:
    client = redis.Redis.from_url(stack.redis_url)
    return sorted(k.decode() for k in client.scan_iter(count=1000) if fragment in k.decode())


def wait_quiet(count: Any, before: int, timeout: float = 40, quiet: float = 1.5) -> int:
    """Wait until ``count()`` grew past ``before`` and stayed the same for ``quiet`` seconds."""
    deadline = time.monotonic() + timeout
    last, since = count(), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.2)
        now = count()
        if now != last:
            last, since = now, time.monotonic()
        elif now > before and time.monotonic() - since >= quiet:
            return now
    raise AssertionError(f"no reply (count {count()} after {before})")


def sms(stack: Any, fake_twilio: Any, phone: str, text: str) -> list[str]:
    """Send one signed SMS; the bodies it got in reply."""
    before = len(fake_twilio.bodies_to(phone))
    sid = "SM" + uuid.uuid4().hex
    form = {"MessageSid": sid, "SmsSid": sid, "AccountSid": "ACtest00000000000000000000000000", "From": phone}
    form |= {"To": "+33700000000", "Body": text, "NumMedia": "0"}
    signature = sign(stack.env["PUBLIC_BASE_URL"] + SMS_PATH, form, token=stack.env["TWILIO_AUTH_TOKEN"])
    reply = httpx.post(stack.rasa_url + SMS_PATH, data=form, headers={"X-Twilio-Signature": signature}, timeout=30)
    assert reply.status_code == 200
    wait_quiet(lambda: len(fake_twilio.bodies_to(phone)), before)
    return fake_twilio.bodies_to(phone)[before:]


def telegram(stack: Any, fake_telegram: Any, chat_id: int, text: str = "", data: str = "") -> list[dict[str, Any]]:
    """Send a Telegram message (or a button tap with ``data``); the messages it got in reply."""

    def mine() -> list[dict[str, Any]]:
        return [m for m in fake_telegram.messages if m.get("chat_id") == chat_id]

    before = len(mine())
    update_id = uuid.uuid4().int % 2_000_000_000
    chat = {"id": chat_id, "type": "private", "first_name": "Ana"}
    who = {"id": chat_id, "is_bot": False, "first_name": "Ana"}
    if data:
        message = {"message_id": 1, "date": int(time.time()), "chat": chat, "text": "?"}
        update = {"update_id": update_id, "callback_query": {"id": "q", "chat_instance": "c", "data": data}}
        update["callback_query"] |= {"from": who, "message": message}
    else:
        message = {"message_id": update_id, "date": int(time.time()), "text": text, "chat": chat, "from": who}
        update = {"update_id": update_id, "message": message}
    headers = {"X-Telegram-Bot-Api-Secret-Token": stack.env["TELEGRAM_WEBHOOK_SECRET"]}
    assert httpx.post(stack.rasa_url + TG_PATH, json=update, headers=headers, timeout=30).status_code == 200
    wait_quiet(lambda: len(mine()), before)
    return mine()[before:]


def settles(value: Any, expected: Any, timeout: float = 10) -> bool:
    """Whether ``value()`` equals ``expected`` within ``timeout`` and still does a moment later."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value() == expected:
            time.sleep(0.5)
            if value() == expected:
                return True
        time.sleep(0.3)
    print("last value:", value())
    return False


async def book_in_a_few_days(stack: Any, user: str) -> Booking:
    """A booking far enough ahead for its reminder to be scheduled, through the booking service."""
    client = aioredis.Redis.from_url(stack.redis_url)
    try:
        service = wiring.booking_service(settings_of(stack), client)
        after = (service.now() + timedelta(days=3)).date()
        slot = (await service.offers("vaulx", "caf", after=after))[0]
        return await service.book(user, "vaulx", "caf", slot.start)
    finally:
        await client.close()


def slot_taken(stack: Any, booking: Booking) -> bool:
    client = redis.Redis.from_url(stack.redis_url)
    load = client.hgetall(f"pimms:booking:load:{booking.site_id}:{booking.start.date().isoformat()}")
    return any(int(v) > 0 for v in load.values())


def reminder_queued(stack: Any, booking: Booking) -> bool:
    client = redis.Redis.from_url(stack.redis_url)
    job = reminder_job_id(booking.ref)
    return client.zscore(REMINDER_QUEUE, job) is not None or bool(client.exists(job_key_prefix + job))


async def add_note(stack: Any, sender_id: str, text: str) -> None:
    client = aioredis.Redis.from_url(stack.redis_url)
    try:
        await HandoffStore(client).add_note(sender_id, "amina", text)
    finally:
        await client.close()


def test_sms_export_then_erase_after_stop(stack: Any, fake_twilio: Any, tmp_path: Path) -> None:
    phone, sender = "+33612359001", "sms-33612359001"
    first = sms(stack, fake_twilio, phone, "bonjour")
    assert first[-1] == messages.first_contact_notice(90)
    assert messages.first_contact_notice(90) not in sms(stack, fake_twilio, phone, "je veux parler a quelqu'un")
    booking = run(book_in_a_few_days(stack, sender))
    run(add_note(stack, sender, "rappeler pour le dossier APL"))
    assert slot_taken(stack, booking) and reminder_queued(stack, booking)

    out = tmp_path / "export.json"
    assert cli.main(["export", sender, "--out", str(out)], settings_of(stack)) == 0
    document = json.loads(out.read_text(encoding="utf-8"))
    sections = {s["rubrique"]: s["contenu"] for s in document["rubriques"]}
    assert "je veux parler a quelqu'un" in [m["texte"] for m in sections["Messages"]]
    assert [b["reference"] for b in sections["Rendez-vous"]] == [booking.ref]
    assert sections["Notes des médiateurs"][0]["text"] == "rappeler pour le dossier APL"
    assert sections["Mise en relation avec un médiateur"]["etat"] == "waiting"

    assert "plus de SMS" in " ".join(sms(stack, fake_twilio, phone, "STOP"))
    question = sms(stack, fake_twilio, phone, "EFFACER")[0]
    assert question.startswith(CONFIRM_START)
    # A forged From sends OUI blind: nothing is erased, the code goes (again) to the real phone only.
    [reminder] = sms(stack, fake_twilio, phone, "OUI")
    assert reminder.startswith("Pour tout effacer") and code_in(reminder) == code_in(question)
    assert slot_taken(stack, booking)
    done = " ".join(sms(stack, fake_twilio, phone, f"EFFACER {code_in(question)}"))
    assert done.startswith("C'est fait") and "STOP" in done and "rendez-vous à venir est annulé" in done
    assert settles(lambda: keys_naming(stack, "33612359001"), [f"pimms:optout:{sender}"])
    assert not slot_taken(stack, booking) and not reminder_queued(stack, booking)


def test_telegram_natural_phrasing_erases_after_the_button(stack: Any, fake_telegram: Any) -> None:
    chat_id, sender = 4299, "tg-4299"
    first = telegram(stack, fake_telegram, chat_id, "bonjour")
    assert first[-1]["text"] == messages.first_contact_notice(90)
    booking = run(book_in_a_few_days(stack, sender))
    question = telegram(stack, fake_telegram, chat_id, "supprimez mes données")
    assert question[0]["text"].startswith(CONFIRM_START)
    buttons = [b["callback_data"] for row in question[0]["reply_markup"]["inline_keyboard"] for b in row]
    assert buttons == [f"EFFACER {code_in(question[0]['text'])}", "NON"]
    done = telegram(stack, fake_telegram, chat_id, data=buttons[0])
    assert done[0]["text"].startswith("C'est fait")
    assert settles(lambda: keys_naming(stack, sender), [])
    assert not slot_taken(stack, booking) and not reminder_queued(stack, booking)


def test_rest_privacy_questions_and_caf_data_questions(stack: Any) -> None:
    sender = f"rest-privacy-{uuid.uuid4().hex[:8]}"
    for text in OTHER_ORGANISATIONS_DATA:
        replies = " ".join(stack.texts(sender, text))
        assert CONFIRM_START not in replies, text
        assert not keys_naming(stack, f"pimms:privacy:confirm:{sender}"), text
    sender = f"rest-privacy-{uuid.uuid4().hex[:8]}"  # the questions above may have led to a hand-off
    info = " ".join(stack.texts(sender, "vous gardez mes messages ?"))
    assert "90 jours" in info and "EFFACER" in info
    assert " ".join(stack.texts(sender, "MES DONNEES")) == messages.info(90, wiring.contact(settings_of(stack)))
    assert stack.texts(sender, "je veux que vous effaciez tout")[0].startswith(CONFIRM_START)
    assert stack.texts(sender, "non") == [messages.KEPT]
    assert stack.tracker(sender)["events"]  # kept
    question = stack.texts(sender, "EFFACER")[0]
    assert question.startswith(CONFIRM_START)
    assert stack.texts(sender, f"effacer {code_in(question)}")[0].startswith("C'est fait")
    assert settles(lambda: keys_naming(stack, sender), [])


def test_every_key_expires_after_a_day_of_activity(stack: Any, fake_twilio: Any, fake_telegram: Any) -> None:
    phone, sender, chat_id = "+33612349077", "sms-33612349077", 4377
    # SMS: first contact, booking through the conversation, "mes rdv", a hand-off
    sms(stack, fake_twilio, phone, "bonjour")
    for text in ("rdv", "1", "2", "1", "oui", "mes rdv", "je veux parler a quelqu'un"):
        sms(stack, fake_twilio, phone, text)
    # Telegram and REST: questions, a danger message, a fallback, privacy information
    for text in ("bonjour", "comment faire ma demande de rsa", "MES DONNEES"):
        telegram(stack, fake_telegram, chat_id, text)
    rest = f"rest-day-{uuid.uuid4().hex[:8]}"
    for text in ("bonjour", "rdv caf demain matin a vaulx", "annuler", "wxcvbn", "je suis en danger"):
        stack.texts(rest, text)
    # console: a mediator logs in, opens, claims, answers and notes; a supervisor reads the access log
    run(_accounts(stack))
    with httpx.Client(base_url=stack.console_url, timeout=30) as amina:
        page = amina.get("/login")
        token = page.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
        amina.post("/login", data={"csrf": token, "name": "amina", "password": "un mot de passe long"})
        path = "/c/" + sender
        assert amina.get(path).status_code == 200
        csrf = amina.get("/").text.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]
        for action, data in (("claim", {}), ("reply", {"text": "Bonjour, ici Amina."}), ("note", {"text": "APL"})):
            amina.post(f"{path}/{action}", data={"csrf": csrf, **data}, headers={"X-Requested-With": "fetch"})
    violations = run(_check(stack))
    assert violations == [], "\n".join(f"{v.key}: {v.problem}" for v in violations)
    assert keys_naming(stack, "pimms:privacy:access:")


async def _accounts(stack: Any) -> None:
    client = aioredis.Redis.from_url(stack.redis_url)
    try:
        accounts = MediatorAccounts(client)
        if "amina" not in await accounts.names():
            await accounts.create("amina", "un mot de passe long")
    finally:
        await client.close()


async def _check(stack: Any) -> list[Any]:
    client = aioredis.Redis.from_url(stack.redis_url)
    try:
        return await check_retention(client, settings_of(stack), load_motives().rules.horizon_days)
    finally:
        await client.close()
