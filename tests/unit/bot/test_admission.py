"""The admission rules and their order (bot/inbound/admission.py), on a real Redis: danger before everything,
then STOP/START, the rate limit, AIDE, the opt-out (privacy requests excepted), and the notices."""

from __future__ import annotations

import pytest
import redis.asyncio as aioredis

from bot import notices
from bot.danger_texts import danger_texts
from bot.inbound.admission import (
    REST,
    SMS,
    TELEGRAM,
    Accept,
    Admission,
    Drop,
    Inbound,
    Notify,
    Reply,
    Rules,
    emergency_answer,
)
from bot.optout import OptOutStore
from bot.ratelimit import InboundRateLimiter

SMS_ID, TG_ID = "sms-33612345678", "tg-4242"
# A resident in danger who also refuses our messages: the danger always wins (security review H1).
DANGER_AND_REFUSAL = [
    ("je veux plus vivre, arrêtez vos messages", "suicide"),
    ("mon conjoint me frappe ne m'écrivez plus", "violence"),
    ("au secours il va me tuer", "violence"),
    ("je vais me suicider ce soir stop", "suicide"),
    ("STOP il va me tuer", "violence"),
    ("arrêtez de m'envoyer des sms, je veux mourir", "suicide"),
]
PRIVACY_WORDS = ("EFFACER", "MES DONNEES")


async def privacy_words(sender_id: str, text: str) -> bool:
    """The privacy gate's exemption, reduced to its keywords (the real gate is tested in tests/unit/channels)."""
    return text.strip().upper() in PRIVACY_WORDS


def admission(client: aioredis.Redis, rules: Rules = SMS) -> Admission:
    return Admission(rules, OptOutStore(client), InboundRateLimiter(client, 20, 600), privacy_words, "aide")


async def past_the_limit(client: aioredis.Redis, sender_id: str) -> None:
    await client.set(f"pimms:rl:in:{sender_id}", 50, ex=600)


def emergency(kind: str) -> tuple[Reply, ...]:
    return tuple(Reply(text, force=True) for text in danger_texts(kind))


@pytest.mark.parametrize(("text", "kind"), DANGER_AND_REFUSAL)
async def test_danger_with_a_refusal_is_accepted_and_answered(client: aioredis.Redis, text: str, kind: str) -> None:
    gate = admission(client)
    decision = await gate.check(Inbound(SMS_ID, text))
    assert isinstance(decision, Accept) and decision.danger == kind and decision.text
    if decision.stop_after:  # STOP in the same message: the emergency texts first, then the confirmation
        assert decision.replies[:-1] == emergency(kind) and decision.danger_answered
        assert decision.replies[-1] == Reply(notices.SMS_STOPPED, force=True)
        assert not await OptOutStore(client).is_opted_out(SMS_ID)  # not yet: only once journaled
        await gate.settle(SMS_ID, decision)
        assert await OptOutStore(client).is_opted_out(SMS_ID)
    else:
        assert decision.replies == ()  # the turn answers (Rasa, or the waiting gate)


@pytest.mark.parametrize(("text", "kind"), DANGER_AND_REFUSAL)
async def test_danger_after_an_opt_out_gets_the_emergency_texts_forced(
    client: aioredis.Redis, text: str, kind: str
) -> None:
    await OptOutStore(client).opt_out(SMS_ID)
    decision = await admission(client).check(Inbound(SMS_ID, text))
    assert isinstance(decision, Accept) and decision.danger == kind
    assert decision.replies == emergency(kind)  # no second STOP confirmation
    assert decision.danger_answered and not decision.record_only
    assert decision.metadata() == {"danger": kind, "danger_answered": True}


async def test_stop_alone_opts_out_once_and_drops_the_pending_burst(client: aioredis.Redis) -> None:
    gate = admission(client)
    first = await gate.check(Inbound(SMS_ID, "STOP"))
    assert first == Notify((Reply(notices.SMS_STOPPED, force=True),), discard_pending=True, reason="stop")
    again = await gate.check(Inbound(SMS_ID, "stop"))
    assert isinstance(again, Notify) and again.replies == () and again.discard_pending
    assert await OptOutStore(client).is_opted_out(SMS_ID)


async def test_stop_and_start_come_before_the_rate_limit(client: aioredis.Redis) -> None:
    await past_the_limit(client, SMS_ID)
    gate = admission(client)
    assert (await gate.check(Inbound(SMS_ID, "STOP"))).replies == (Reply(notices.SMS_STOPPED, force=True),)
    assert (await gate.check(Inbound(SMS_ID, "START"))).replies == (Reply(notices.SMS_RESTARTED, force=True),)
    assert not await OptOutStore(client).is_opted_out(SMS_ID)


@pytest.mark.parametrize(("rules", "sender"), [(SMS, SMS_ID), (TELEGRAM, TG_ID)])
async def test_danger_comes_before_the_rate_limit(client: aioredis.Redis, rules: Rules, sender: str) -> None:
    await past_the_limit(client, sender)
    gate = admission(client, rules)
    assert await gate.check(Inbound(sender, "bonjour ?")) == Drop("rate limited")
    decision = await gate.check(Inbound(sender, "je vais me tuer"))
    assert isinstance(decision, Accept) and decision.danger == "suicide" and decision.text == "je vais me tuer"


async def test_the_rate_limit_tells_once_then_drops(client: aioredis.Redis) -> None:
    await client.set(f"pimms:rl:in:{TG_ID}", 20, ex=600)
    gate = admission(client, TELEGRAM)
    assert await gate.check(Inbound(TG_ID, "bonjour")) == Notify((Reply(notices.RATE_LIMITED),), reason="rate limited")
    assert await gate.check(Inbound(TG_ID, "bonjour")) == Drop("rate limited")
    assert await gate.check(Inbound(TG_ID, "/aide")) == Drop("rate limited")  # AIDE is counted too


async def test_opted_out_messages_are_kept_for_the_transcript_not_answered(client: aioredis.Redis) -> None:
    await OptOutStore(client).opt_out(SMS_ID)
    decision = await admission(client).check(Inbound(SMS_ID, "  horaires de Vaise ? "))
    assert decision == Accept("horaires de Vaise ?", record_only=True)
    assert decision.metadata() == {"record_only": True}


@pytest.mark.parametrize("word", PRIVACY_WORDS)
async def test_privacy_requests_pass_the_opt_out(client: aioredis.Redis, word: str) -> None:
    await OptOutStore(client).opt_out(SMS_ID)
    assert await admission(client).check(Inbound(SMS_ID, word)) == Accept(word)


async def test_opt_out_comes_before_the_notices(client: aioredis.Redis) -> None:
    await OptOutStore(client).opt_out(SMS_ID)
    decision = await admission(client).check(Inbound(SMS_ID, "x" * 2000))
    assert isinstance(decision, Accept) and decision.record_only  # no "too long" to an opted-out number


async def test_sms_notices(client: aioredis.Redis) -> None:
    gate = admission(client)
    assert await gate.check(Inbound(SMS_ID, "   ")) == Notify((Reply(notices.EMPTY),), reason="empty")
    assert await gate.check(Inbound(SMS_ID, "", has_media=True)) == Notify((Reply(notices.MEDIA),), reason="media")
    assert await gate.check(Inbound(SMS_ID, "voici mon papier", has_media=True)) == Accept(
        "voici mon papier", (Reply(notices.MEDIA),)
    )
    assert await gate.check(Inbound(SMS_ID, "a" * 1601)) == Notify((Reply(notices.TOO_LONG),), reason="too long")
    assert await gate.check(Inbound(SMS_ID, "AIDE")) == Notify((Reply("aide", force=True),), reason="help")


async def test_telegram_differences(client: aioredis.Redis) -> None:
    gate = admission(client, TELEGRAM)
    assert await gate.check(Inbound(TG_ID, "STOP")) == Accept("STOP")  # no SMS keyword on Telegram
    assert await gate.check(Inbound(TG_ID, "/start")) == Accept("bonjour")
    assert await gate.check(Inbound(TG_ID, "/aide@PimmsBot")) == Notify((Reply("aide"),), reason="help")
    assert await gate.check(Inbound(TG_ID, "une photo", has_media=True)) == Notify(
        (Reply(notices.MEDIA),), reason="media"
    )  # a caption is not read as a question
    assert await gate.check(Inbound(TG_ID, "   ")) == Drop("empty")
    assert await gate.check(Inbound(TG_ID, "bonjour", edited=True)) == Notify((Reply(notices.EDITED),), reason="edited")
    assert not await OptOutStore(client).is_opted_out(TG_ID)


async def test_telegram_caption_and_edited_message_are_read_for_danger(client: aioredis.Redis) -> None:
    gate = admission(client, TELEGRAM)
    caption = await gate.check(Inbound(TG_ID, "au secours il va me tuer", has_media=True))
    assert isinstance(caption, Accept) and caption.danger == "violence"
    edited = await gate.check(Inbound(TG_ID, "j'ai envie de mourir", edited=True))
    assert isinstance(edited, Accept) and edited.danger == "suicide"


async def test_rest_has_no_keywords_and_no_rate_limit(client: aioredis.Redis) -> None:
    await past_the_limit(client, "rest-1")
    gate = admission(client, REST)
    assert await gate.check(Inbound("rest-1", "STOP")) == Accept("STOP")
    assert await gate.check(Inbound("rest-1", "")) == Accept("")
    decision = await gate.check(Inbound("rest-1", "je veux mourir"))
    assert isinstance(decision, Accept) and decision.danger == "suicide" and decision.replies == ()


def test_emergency_answer_needs_no_redis() -> None:
    assert emergency_answer("je vais me suicider ce soir") == tuple(danger_texts("suicide"))
    assert "3114" in emergency_answer("je vais me suicider ce soir")[0]
    assert emergency_answer("horaires de Vaise") == ()
    assert emergency_answer(None) == ()
