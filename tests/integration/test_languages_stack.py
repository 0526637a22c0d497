"""Issue 23, end to end: a resident writing in each of the six languages gets the welcome, an FAQ answer, a
booking and the emergency numbers in that language, through SMS, Telegram and REST (two languages per channel).

The messages are not in the training data; the stack runs at its pinned moment (``stack.clock``). Expected
texts come from their one home (domain variants, ``kb/translations``, ``translations/``), never copied here.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis.asyncio as aioredis
import yaml

from bot.booking import messages as booking_messages
from bot.booking.motives import load_motives
from bot.booking.store import BookingStore
from bot.danger_texts import danger_texts
from bot.kb.translations import by_topic, load_translations
from bot.language import dates
from bot.language.texts import localize
from bot.response_variants import select
from bot.sms.gsm import transliterate
from tests.fakes.sanic_harness import sign

pytestmark = pytest.mark.stack
ROOT = Path(__file__).resolve().parents[2]
SMS_PATH = "/webhooks/sms/webhook"
TELEGRAM_PATH = "/webhooks/telegram/webhook"

# Written for this test (not in data/): a greeting, a question about reaching the CAF, a partner's violence.
MESSAGES: dict[str, tuple[str, str, str]] = {
    "en": (
        "Good morning, I hope you are well today",
        "How can I get in touch with the CAF by telephone please",
        "My boyfriend threatened to kill me tonight, I am scared",
    ),
    "ar": (
        "السلام عليكم، صباح الخير لكم",
        "كيف يمكنني الاتصال بالكاف عن طريق الهاتف",
        "زوجي يضربني كل يوم وأنا خائفة",
    ),
    "es": (
        "Buenos días, espero que estén todos bien",  # a long greeting got the fallback before its examples
        "Cómo puedo llamar por teléfono a la CAF, por favor",
        "Mi marido me pega y tengo mucho miedo",
    ),
    "pt": (
        "Olá boa tarde, tudo bem com a senhora?",
        "Como posso falar com a CAF por telefone, por favor",
        "O meu marido bate-me e tenho muito medo",
    ),
    "tr": (
        "Merhaba, iyi akşamlar efendim",
        "CAF ile telefonla nasıl iletişime geçebilirim lütfen",
        "Kocam beni dövüyor ve çok korkuyorum",
    ),
    "ro": (
        "Bună seara, ce mai faceți doamnă",
        "Cum pot să contactez CAF la telefon, vă rog",
        "Soțul meu mă bate și mi-e foarte frică",
    ),
}
YES = {"en": "yes", "ar": "نعم", "es": "si", "pt": "sim", "tr": "evet", "ro": "da"}  # Arabic: read since issue 23
FAQ_TOPIC = "caf_contact"

Say = Callable[[str, Callable[[str], bool]], str]


def greeting(language: str) -> str:
    domain = yaml.safe_load((ROOT / "domain" / "basics.yml").read_text(encoding="utf-8"))
    [variant] = select(domain["responses"]["utter_greet"], language)
    return str(variant["text"])


def head(template: str, language: str) -> str:
    """The fixed words of a translated template before its first placeholder."""
    return localize(template, language).split("{")[0].strip()


def converse(language: str, say: Say, fold: Callable[[str], str]) -> None:
    """The whole visit in one language: welcome, FAQ answer, booking, emergency numbers."""
    hello, question, danger = MESSAGES[language]

    welcome = fold(greeting(language))
    assert welcome in say(hello, lambda text: welcome in text)

    answer = fold(by_topic(load_translations())[FAQ_TOPIC][language].answer)
    assert answer in say(question, lambda text: answer in text)

    motive = fold(head(booking_messages.MOTIVE_QUESTION, language))
    menu = say("RDV", lambda text: motive in text)
    assert motive in menu and fold(localize("Titre de séjour", language)) in menu  # the motives translated too
    assert "2 :" in say("1", lambda text: "2 :" in text)  # the counters, numbered
    other_days = fold(localize(booking_messages.OTHER_DAYS, language).format(number=4))
    offers = say("2", lambda text: other_days in text)
    assert any(fold(day) in offers for day in dates.WEEKDAYS[language])  # the weekdays in the language
    recap = fold(head(booking_messages.CONFIRM_QUESTION, language))
    assert recap in say("1", lambda text: recap in text)
    booked = fold(head(booking_messages.BOOKED, language))
    first = load_motives().motives[0]
    papers = fold(localize(booking_messages.BRING, language).format(papers=first.papers_text(language)))
    done = say(YES[language], lambda text: booked in text and papers in text)
    assert booked in done and any(fold(day) in done for day in dates.WEEKDAYS[language])
    assert papers in done  # the papers to bring in the language

    numbers = fold(danger_texts("violence", language=language)[0])
    assert numbers in say(danger, lambda text: numbers in text)
    assert "3919" in numbers and "17" in numbers


def wait_for_new(bodies: Callable[[], list[str]], start: int, done: Callable[[str], bool], timeout: float = 30) -> str:
    """The replies after ``start`` once ``done`` holds on them (or whatever came before the timeout)."""
    deadline = time.monotonic() + timeout
    while True:
        text = "\n".join(bodies()[start:])
        if done(text) or time.monotonic() > deadline:
            return text
        time.sleep(0.1)


async def _bookings(stack: Any, sender_id: str) -> list[Any]:
    client = aioredis.from_url(stack.redis_url)
    try:
        return await BookingStore(client).for_user(sender_id, stack.clock.now())
    finally:
        await client.close()


def booked_in(stack: Any, sender_id: str, language: str) -> None:
    """The booking records the language (the agenda shows it) and lies after the stack's moment."""
    [booking] = asyncio.run(_bookings(stack, sender_id))
    assert booking.language == language and booking.start > stack.clock.now()


@pytest.mark.parametrize("language", ["en", "ar"])
def test_rest(stack: Any, language: str) -> None:
    sender = f"rest-lang-{language}-{uuid.uuid4().hex[:8]}"

    def say(text: str, done: Callable[[str], bool]) -> str:
        return "\n".join(stack.texts(sender, text))

    converse(language, say, lambda text: text)
    booked_in(stack, sender, language)


def sms_fold(text: str) -> str:
    """A text as SMS carry it: folded to GSM-7 where it fits, a long answer split in parts (spaces collapsed)."""
    return " ".join(transliterate(text).split())


@pytest.mark.parametrize("language", ["es", "tr"])
def test_sms(stack: Any, fake_twilio: Any, language: str) -> None:
    phone = f"+336{uuid.uuid4().int % 10**8:08d}"  # a new resident on each run

    def say(text: str, done: Callable[[str], bool]) -> str:
        start = len(fake_twilio.bodies_to(phone))
        sid = "SM" + uuid.uuid4().hex
        form = {
            "MessageSid": sid,
            "SmsSid": sid,
            "AccountSid": "ACtest00000000000000000000000000",
            "From": phone,
            "To": "+33700000000",
            "Body": text,
            "NumMedia": "0",
        }
        signature = sign(stack.env["PUBLIC_BASE_URL"] + SMS_PATH, form, token=stack.env["TWILIO_AUTH_TOKEN"])
        reply = httpx.post(stack.rasa_url + SMS_PATH, data=form, headers={"X-Twilio-Signature": signature}, timeout=10)
        assert reply.status_code == 200
        return sms_fold(wait_for_new(lambda: fake_twilio.bodies_to(phone), start, lambda t: done(sms_fold(t))))

    converse(language, say, sms_fold)
    booked_in(stack, "sms-" + phone.lstrip("+"), language)


@pytest.mark.parametrize("language", ["pt", "ro"])
def test_telegram(stack: Any, fake_telegram: Any, language: str) -> None:
    chat = 470_000 + uuid.uuid4().int % 100_000  # a new resident on each run

    def texts() -> list[str]:
        return [str(m.get("text") or "") for m in fake_telegram.messages if m.get("chat_id") == chat]

    def say(text: str, done: Callable[[str], bool]) -> str:
        start = len(texts())
        update = {
            "update_id": int(time.time() * 1000) % 2_000_000_000,
            "message": {
                "message_id": int(time.time() * 1000) % 1_000_000,
                "date": int(stack.clock.now().timestamp()),
                "text": text,
                "chat": {"id": chat, "type": "private", "first_name": "Ana"},
                "from": {"id": chat, "is_bot": False, "first_name": "Ana"},
            },
        }
        reply = httpx.post(
            stack.rasa_url + TELEGRAM_PATH,
            json=update,
            headers={"X-Telegram-Bot-Api-Secret-Token": stack.env["TELEGRAM_WEBHOOK_SECRET"]},
            timeout=10,
        )
        assert reply.status_code == 200
        return wait_for_new(texts, start, done)

    converse(language, say, lambda text: text)
    booked_in(stack, f"tg-{chat}", language)
