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
    # A refusal in words is never a STOP (bot/optout_intent.py): the turn answers (Rasa, or the waiting gate),
    # and the person stays reachable by a mediator. The late STOP is tested below with a keyword form.
    assert not decision.stop_after and decision.replies == () and not decision.danger_answered
    await gate.settle(SMS_ID, decision)
    assert not await OptOutStore(client).is_opted_out(SMS_ID)


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


# Rules the mutation check (make mutation) found without a test of their own.


async def test_a_refusal_in_words_gets_the_stop_hint_never_an_opt_out(client: aioredis.Redis) -> None:
    decision = await admission(client).check(Inbound(SMS_ID, "je veux plus recevoir vos sms"))
    assert decision == Notify((Reply(notices.SMS_STOP_HINT),), reason="stop hint")
    assert decision.replies[0].force is False and decision.discard_pending is False  # not past an opt-out
    assert not await OptOutStore(client).is_opted_out(SMS_ID)


async def test_a_refusal_in_words_once_opted_out_is_only_kept_for_the_transcript(client: aioredis.Redis) -> None:
    await OptOutStore(client).opt_out(SMS_ID)
    decision = await admission(client).check(Inbound(SMS_ID, "je veux plus recevoir vos sms"))
    assert decision == Accept("je veux plus recevoir vos sms", record_only=True)


async def test_a_stop_word_with_a_danger_applies_after_the_emergency_texts(
    client: aioredis.Redis, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Today no keyword form holds a danger (bot/optout_intent.py); the order must hold if that ever changes."""
    monkeypatch.setattr("bot.inbound.admission.classify_keyword", lambda text: "stop")
    gate = admission(client)
    decision = await gate.check(Inbound(SMS_ID, "STOP il va me tuer"))
    assert isinstance(decision, Accept) and decision.stop_after and decision.danger_answered
    assert decision.replies == (*emergency("violence"), Reply(notices.SMS_STOPPED, force=True))
    assert not await OptOutStore(client).is_opted_out(SMS_ID)  # not before the message is journaled
    await gate.settle(SMS_ID, decision)
    assert await OptOutStore(client).is_opted_out(SMS_ID)


async def test_settle_applies_no_stop_for_an_ordinary_message(client: aioredis.Redis) -> None:
    gate = admission(client)
    await gate.settle(SMS_ID, await gate.check(Inbound(SMS_ID, "bonjour")))
    assert not await OptOutStore(client).is_opted_out(SMS_ID)


def test_the_turn_metadata_carries_danger_answer_and_transcript_flags() -> None:
    assert Accept("x").metadata() == {}
    assert Accept("x", danger="suicide").metadata() == {"danger": "suicide"}
    assert Accept("x", danger="suicide", danger_answered=True).metadata() == {
        "danger": "suicide",
        "danger_answered": True,
    }
    assert Accept("x", record_only=True).metadata() == {"record_only": True}
    assert Accept("x").stop_after is False and Reply("t").force is False


async def test_notices_are_not_forced_and_keep_the_pending_burst(client: aioredis.Redis) -> None:
    await client.set(f"pimms:rl:in:{SMS_ID}", 20, ex=600)  # the next message is the first past the limit
    limited = await admission(client).check(Inbound(SMS_ID, "bonjour"))
    assert isinstance(limited, Notify) and limited.replies[0].force is False and not limited.discard_pending
    assert await admission(client, TELEGRAM).check(Inbound(TG_ID, "  ")) == Drop("empty")  # Telegram: nothing
    assert await admission(client).check(Inbound("sms-33699999999", "  ")) == Notify(
        (Reply(notices.EMPTY),), reason="empty"
    )


async def test_each_channel_keeps_its_own_rules(client: aioredis.Redis) -> None:
    assert (SMS.sms_keywords, SMS.telegram_commands, SMS.rate_limit, SMS.notices) == (True, False, True, True)
    assert (TELEGRAM.sms_keywords, TELEGRAM.telegram_commands, TELEGRAM.rate_limit, TELEGRAM.notices) == (
        False,
        True,
        True,
        True,
    )
    assert (REST.sms_keywords, REST.telegram_commands, REST.rate_limit, REST.notices) == (False, False, False, False)
    assert await admission(client, TELEGRAM).check(Inbound(TG_ID, "STOP")) == Accept("STOP")  # a word, not a keyword
    assert await admission(client, REST).check(Inbound("rest-1", "")) == Accept("")  # REST validates itself
    await past_the_limit(client, "rest-1")
    assert await admission(client, REST).check(Inbound("rest-1", "bonjour")) == Accept("bonjour")  # no limit
    assert (await admission(client, TELEGRAM).check(Inbound(TG_ID, "/start"))) == Accept("bonjour")
    for command in ("/aide", "/help", "/help@pimms_bot"):
        helped = await admission(client, TELEGRAM).check(Inbound(TG_ID, command))
        assert helped == Notify((Reply("aide"),), reason="help")  # not forced: Telegram has no opt-out keyword


async def test_a_button_tap_is_accepted_unless_rate_limited(client: aioredis.Redis) -> None:
    assert await admission(client, TELEGRAM).check_tap(TG_ID) == Accept("")
    await past_the_limit(client, TG_ID)
    assert await admission(client, TELEGRAM).check_tap(TG_ID) == Drop("rate limited")


async def test_a_stop_word_with_a_danger_once_opted_out_is_not_confirmed_twice(
    client: aioredis.Redis, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.inbound.admission.classify_keyword", lambda text: "stop")
    await OptOutStore(client).opt_out(SMS_ID)
    decision = await admission(client).check(Inbound(SMS_ID, "STOP il va me tuer"))
    assert isinstance(decision, Accept) and decision.replies == emergency("violence")
