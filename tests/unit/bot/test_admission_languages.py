"""The admission in the residents' own languages (issue 23), on a real Redis: a danger message gets the
emergency texts in the resident's language in every state (opted out, rate limited, waiting, Redis down), the
LANGUE command and its menu are answered before any turn, and each accepted message carries its language."""

from __future__ import annotations

import redis.asyncio as aioredis

from bot import notices
from bot.danger_texts import danger_texts
from bot.inbound.admission import SMS, TELEGRAM, Accept, Admission, Inbound, Notify, Reply, Rules
from bot.language import choice
from bot.language.codes import Language
from bot.language.store import LanguageStore, Preference
from bot.language.texts import localize
from bot.optout import OptOutStore
from bot.ratelimit import InboundRateLimiter
from tests.unit.bot.test_admission import past_the_limit, privacy_words

SMS_ID, TG_ID = "sms-33612345678", "tg-4242"
DAY = 86400


def admission(client: aioredis.Redis, rules: Rules = SMS) -> Admission:
    store = LanguageStore(client, DAY)
    return Admission(rules, OptOutStore(client), InboundRateLimiter(client, 20, 600), privacy_words, "aide", store)


def emergency(kind: str, language: str) -> tuple[Reply, ...]:
    return tuple(Reply(text, force=True) for text in danger_texts(kind, language=language))


async def test_an_opted_out_resident_in_danger_gets_the_numbers_in_their_language(client: aioredis.Redis) -> None:
    await OptOutStore(client).opt_out(SMS_ID)
    for text, kind, language in [
        ("my husband hits me every night", "violence", "en"),
        ("estoy en la calle con mis hijos", "shelter", "es"),
        ("أريد أن أنتحر", "suicide", "ar"),
        ("kocam beni dövüyor", "violence", "tr"),
    ]:
        decision = await admission(client).check(Inbound(SMS_ID, text))
        assert isinstance(decision, Accept) and decision.danger == kind and decision.danger_answered
        assert decision.replies == emergency(kind, language), text
        assert decision.metadata()["language"] == language


async def test_a_rate_limited_resident_in_danger_gets_a_turn_in_their_language(client: aioredis.Redis) -> None:
    await past_the_limit(client, TG_ID)
    decision = await admission(client, TELEGRAM).check(Inbound(TG_ID, "mi marido me pega, tengo miedo"))
    assert isinstance(decision, Accept) and decision.danger == "violence" and decision.language == "es"
    assert decision.replies == ()  # the turn says them (the `language` slot picks the Spanish variant)


async def test_a_chosen_language_is_kept_for_a_french_danger_message(client: aioredis.Redis) -> None:
    await LanguageStore(client, DAY).save(SMS_ID, Preference(Language.AR, "choice"))
    await OptOutStore(client).opt_out(SMS_ID)
    decision = await admission(client).check(Inbound(SMS_ID, "il va me tuer"))
    assert isinstance(decision, Accept) and decision.replies == emergency("violence", "ar")


async def test_a_short_danger_phrase_gets_its_own_language_not_french(client: aioredis.Redis) -> None:
    await OptOutStore(client).opt_out(SMS_ID)
    decision = await admission(client).check(Inbound(SMS_ID, "rajli kaydrabni"))  # Darija, two words
    assert isinstance(decision, Accept) and decision.replies == emergency("violence", "ar")


async def test_french_danger_stays_french(client: aioredis.Redis) -> None:
    await OptOutStore(client).opt_out(SMS_ID)
    decision = await admission(client).check(Inbound(SMS_ID, "je veux mourir"))
    assert isinstance(decision, Accept) and decision.replies == emergency("suicide", "fr")
    assert decision.metadata() == {"language": "fr", "danger": "suicide", "danger_answered": True}


async def test_the_language_command_menu_and_choice_are_answered_without_a_turn(client: aioredis.Redis) -> None:
    gate = admission(client)
    menu = await gate.check(Inbound(SMS_ID, "LANGUE"))
    assert menu == Notify((Reply(choice.menu_text()),), reason="language")
    chosen = await gate.check(Inbound(SMS_ID, "3"))  # English, third in the menu
    assert chosen == Notify((Reply(choice.confirmation(Language.EN)),), reason="language")
    stored = await LanguageStore(client, DAY).get(SMS_ID)
    assert stored == Preference(Language.EN, "choice")
    assert await client.ttl(f"pimms:language:{SMS_ID}") > 0  # it expires
    # The choice holds through French words, until FRANCAIS.
    assert await gate.check(Inbound(SMS_ID, "rdv caf svp")) == Accept("rdv caf svp", language="en")
    back = await gate.check(Inbound(SMS_ID, "FRANCAIS"))
    assert back == Notify((Reply(choice.confirmation(Language.FR)),), reason="language")
    assert await gate.check(Inbound(SMS_ID, "ok merci")) == Accept("ok merci", language="fr")


async def test_each_message_carries_its_language_and_short_french_never_switches(client: aioredis.Redis) -> None:
    gate = admission(client, TELEGRAM)
    for text in ("oui", "ok merci", "rdv caf svp", "bjr", "salam", "merci bcp madame"):
        assert await gate.check(Inbound(TG_ID, text)) == Accept(text, language="fr")
    assert await LanguageStore(client, DAY).get(TG_ID) is None  # French needs no key
    english = await gate.check(Inbound(TG_ID, "hello I need help with my residence permit please"))
    assert isinstance(english, Accept) and english.language == "en"
    assert await gate.check(Inbound(TG_ID, "ok")) == Accept("ok", language="en")  # kept through a short word


async def test_notices_and_keyword_answers_are_in_the_resident_language(client: aioredis.Redis) -> None:
    await LanguageStore(client, DAY).save(SMS_ID, Preference(Language.TR, "choice"))
    gate = admission(client)
    stopped = await gate.check(Inbound(SMS_ID, "STOP"))
    assert stopped.replies == (Reply(localize(notices.SMS_STOPPED, "tr"), force=True),)
    restarted = await gate.check(Inbound(SMS_ID, "START"))
    assert restarted.replies == (Reply(localize(notices.SMS_RESTARTED, "tr"), force=True),)
    assert await gate.check(Inbound(SMS_ID, "   ")) == Notify((Reply(localize(notices.EMPTY, "tr")),), reason="empty")
    await client.set(f"pimms:rl:in:{SMS_ID}", 20, ex=600)
    limited = await gate.check(Inbound(SMS_ID, "merhaba"))
    assert limited == Notify((Reply(localize(notices.RATE_LIMITED, "tr")),), reason="rate limited")


def test_redis_down_notices_follow_the_message_language() -> None:
    from bot.inbound.admission import in_message_language
    from bot.inbound.messages import NOT_KEPT, SLOWED_DOWN

    assert in_message_language(SLOWED_DOWN, "hello I need help with my residence permit") == localize(SLOWED_DOWN, "en")
    assert in_message_language(NOT_KEPT, "السلام عليكم") == localize(NOT_KEPT, "ar")
    assert in_message_language(SLOWED_DOWN, "rdv caf svp") == SLOWED_DOWN  # short French stays French
    assert in_message_language(SLOWED_DOWN, None) == SLOWED_DOWN
