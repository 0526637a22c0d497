"""Outbound delivery results, through the real twilio / python-telegram-bot clients and the fake providers:
non-GSM-7 text leaves as UCS-2, refusals and provider errors are never reported as sent."""

from __future__ import annotations

import redis.asyncio as aioredis

from bot.optout import OptOutStore
from bot.outbound import build_outbound
from bot.outbound.delivery import DeliveryLog, DeliveryResult, Status
from bot.outbound.errors import provider_detail
from bot.sms.encoding import utf16_units
from bot.sms.split import shape_sms
from tests.unit.bot.test_outbound import make_settings

ARABIC = "مرحبا، تم استلام طلبك. سيتصل بك وسيط غدا صباحا لمساعدتك في ملف الإعانة العائلية. شكرا لصبرك."
CYRILLIC = "Здравствуйте, ваш запрос получен. Посредник ответит вам завтра утром."
TURKISH = "Merhaba, başvurunuz alındı. Yarın sabah bir arabulucu size yardımcı olacak."
EMOJI = "Merci pour votre message 🙏 À demain !"


def test_text_gsm7_cannot_carry_goes_out_unchanged_as_ucs2() -> None:
    for text in (ARABIC, CYRILLIC, TURKISH, EMOJI):
        shaped = shape_sms(text, 4)
        assert shaped.encoding == "ucs2", text
        assert " ".join(shaped.parts) == text
        assert all(utf16_units(p) <= 70 for p in shaped.parts)
    assert len(shape_sms(ARABIC, 4).parts) == 2  # 95 characters: two UCS-2 SMS, not one GSM-7 SMS
    french = shape_sms("Votre dossier CAF est bien reçu… À bientôt !", 4)
    assert french.encoding == "gsm7" and french.parts == ["Votre dossier CAF est bien recu... A bientot !"]


def test_a_long_ucs2_text_is_cut_on_words_within_the_budget() -> None:
    shaped = shape_sms(" ".join([CYRILLIC] * 6), 3)
    assert shaped.encoding == "ucs2" and len(shaped.parts) <= 3
    assert all(utf16_units(p) <= 67 * 10 for p in shaped.parts)
    assert shaped.parts[0].startswith("Здравствуйте")


async def test_arabic_reply_reaches_twilio_and_is_reported_sent(redis_url: str, fake_twilio, fake_telegram) -> None:
    client = aioredis.Redis.from_url(redis_url)
    router = build_outbound(make_settings(fake_twilio.base_url, fake_telegram.base_url), client)
    result = await router.deliver("sms-33612345678", ARABIC)
    bodies = fake_twilio.bodies_to("+33612345678")
    assert " ".join(bodies) == ARABIC and all(utf16_units(b) <= 70 for b in bodies)
    assert result.status == Status.SENT and result.encoding == "ucs2" and result.parts == 2
    assert len(result.provider_ids) == 2 and all(i.startswith("SM") for i in result.provider_ids)
    tg = await router.deliver("tg-42", EMOJI)
    assert tg.ok and tg.provider_ids and fake_telegram.messages[-1]["text"] == EMOJI
    await client.close()


async def test_refusals_and_provider_errors_are_not_sent(redis_url: str, fake_twilio, fake_telegram) -> None:
    client = aioredis.Redis.from_url(redis_url)
    router = build_outbound(make_settings(fake_twilio.base_url, fake_telegram.base_url, cap=1), client)
    await OptOutStore(client).opt_out("sms-33611111111")
    stopped = await router.deliver("sms-33611111111", "Bonjour")
    assert (stopped.status, stopped.reason) == (Status.REFUSED, "opted_out") and not stopped.ok
    assert "STOP" in stopped.label()
    assert (await router.deliver("tg-7", "un")).ok
    capped = await router.deliver("tg-7", "deux")
    assert (capped.status, capped.reason) == (Status.REFUSED, "daily_cap")
    assert (await router.deliver("rest-user", "Bonjour")).reason == "no_channel"
    fake_twilio.fail_next = 4  # every attempt fails
    failed = await router.deliver("sms-33612345678", "Bonjour")
    assert failed.status == Status.PROVIDER_ERROR and "Twilio 500" in failed.detail and "20500" in failed.detail
    assert fake_twilio.messages == []
    await client.close()


async def test_delivery_log_keeps_one_entry_per_message_and_expires(redis_url: str) -> None:
    client = aioredis.Redis.from_url(redis_url)
    log = DeliveryLog(client)
    await log.record("sms-33612345678", "m1", DeliveryResult.provider_error("Twilio 500"))
    await log.record("sms-33612345678", "m1", DeliveryResult.sent(["SM1"], parts=1, encoding="gsm7"))
    entries = await log.all("sms-33612345678")
    assert list(entries) == ["m1"] and entries["m1"].ok and entries["m1"].provider_ids == ("SM1",)
    assert 0 < await client.ttl("pimms:delivery:sms-33612345678") <= 90 * 24 * 3600
    await log.erase("sms-33612345678")
    assert await log.all("sms-33612345678") == {}
    await client.close()


def test_provider_detail_never_shows_a_number() -> None:
    from twilio.base.exceptions import TwilioRestException

    exc = TwilioRestException(400, "uri", msg="The 'To' number +33612345678 is not valid", code=21211)
    detail = provider_detail(exc)
    assert detail.startswith("Twilio 400 code 21211") and "612345678" not in detail


async def test_the_daily_cap_counts_sms_segments_and_never_holds_back_a_mediator(
    redis_url: str, fake_twilio, fake_telegram
) -> None:
    # Issue 22, L4: a resident in crisis can always be answered by a person, whatever the bot already sent.
    client = aioredis.Redis.from_url(redis_url)
    router = build_outbound(make_settings(fake_twilio.base_url, fake_telegram.base_url, cap=3), client)
    sid, to = "sms-33612345678", "+33612345678"
    assert (await router.deliver(sid, ARABIC)).parts == 2  # two UCS-2 segments count two
    capped = await router.deliver(sid, ARABIC)  # 2 + 2 > 3
    assert (capped.status, capped.reason) == (Status.REFUSED, "daily_cap")
    assert (await router.deliver(sid, "Bonjour")).ok  # the third segment
    assert (await router.deliver(sid, "Encore")).reason == "daily_cap"
    for i in range(5):  # a mediator's replies: past the cap, and not counted in it
        human = await router.deliver(sid, f"Je suis là, message {i}", human=True)
        assert human.status == Status.SENT, i
    assert len(fake_twilio.bodies_to(to)) == 2 + 1 + 5
    await OptOutStore(client).opt_out(sid)
    assert (await router.deliver(sid, "Après STOP", human=True)).reason == "opted_out"  # STOP still wins
    await client.close()
