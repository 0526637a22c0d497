"""The reminders in the conversation, on real Redis: offers, OUI / NON, details, RAPPELS, STOP RAPPEL(S), FAIT."""

from __future__ import annotations

from datetime import date, datetime

import redis.asyncio as aioredis

from bot.activity.log import ActivityLog
from bot.optout import OptOutStore
from bot.reminders import texts
from bot.reminders.conversation import ReminderConversation, offer_key
from bot.reminders.delivery import DUE_KEY
from bot.reminders.models import Subscription
from bot.reminders.programmes import Programme, Programmes
from bot.reminders.store import ReminderStore

from .conftest import SMS_USER, TG_USER, paris

NOW = paris(2026, 12, 7, 15, 30)  # a Monday


class Clock:
    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


def conversation(client: aioredis.Redis, rules: Programmes, moment: datetime = NOW) -> ReminderConversation:
    clock = Clock(moment)
    return ReminderConversation(client, rules, clock, ActivityLog(client, clock=lambda: clock().timestamp()))


async def test_offer_after_the_actualisation_answer_then_oui_records_the_exact_text(
    client: aioredis.Redis, rules: Programmes
) -> None:
    talk = conversation(client, rules)
    (offer,) = await talk.offer_after_topic(SMS_USER, "ft_actualisation")
    assert offer == texts.offer_text(Programme.ACTUALISATION) and "Répondez OUI" in offer
    assert await talk.offer_after_topic(SMS_USER, "caf_contact") == []  # other answers offer nothing
    assert await talk.accept(SMS_USER) == [texts.render(texts.SUBSCRIBED)]
    (sub,) = await ReminderStore(client).subscriptions(SMS_USER)
    assert (sub.consent.text, sub.consent.channel, sub.consent.at, sub.consent.given_by) == (
        offer,
        "sms",
        NOW,
        "resident",
    )
    log = await ReminderStore(client).consent_log(SMS_USER)
    assert log[0]["event"] == "consent" and log[0]["text"] == offer
    assert await client.zscore(DUE_KEY, SMS_USER) == NOW.timestamp()  # the worker looks at them next
    assert not await client.exists(offer_key(SMS_USER))
    assert await talk.offer_after_topic(SMS_USER, "ft_actualisation") == []  # already subscribed: no new offer


async def test_yes_without_an_offer_is_left_to_the_dialogue(client: aioredis.Redis, rules: Programmes) -> None:
    talk = conversation(client, rules)
    assert await talk.accept(SMS_USER) is None
    assert await talk.decline(SMS_USER) is None


async def test_a_date_in_plain_words_is_offered_then_declined(client: aioredis.Redis, rules: Programmes) -> None:
    talk = conversation(client, rules)
    (offer,) = await talk.request(TG_USER, "rappelez-moi le 15 janvier pour la préfecture")
    assert "15 janvier" in offer and "Répondez OUI" in offer
    assert 0 < await client.ttl(offer_key(TG_USER)) <= 1800
    assert await talk.decline(TG_USER) == [texts.render(texts.DECLINED)]
    assert await ReminderStore(client).subscriptions(TG_USER) == []


async def test_a_one_off_date_accepted_on_telegram(client: aioredis.Redis, rules: Programmes) -> None:
    talk = conversation(client, rules)
    await talk.request(TG_USER, "rappelez-moi le 15 janvier pour la préfecture")
    await talk.accept(TG_USER)
    (sub,) = await ReminderStore(client).subscriptions(TG_USER)
    assert (sub.programme, sub.day, sub.consent.channel) == (Programme.ONE_OFF, date(2027, 1, 15), "telegram")


async def test_an_expired_card_gets_the_guidance_and_no_offer(client: aioredis.Redis, rules: Programmes) -> None:
    talk = conversation(client, rules)
    assert await talk.request(SMS_USER, "ma carte de séjour expire le 01/12/2026") == [
        texts.render(texts.PERMIT_EXPIRED)
    ]
    assert not await client.exists(offer_key(SMS_USER))
    assert await talk.accept(SMS_USER) is None


async def test_the_card_renewal_asks_the_expiry_date_after_oui(client: aioredis.Redis, rules: Programmes) -> None:
    talk = conversation(client, rules)
    (offer,) = await talk.offer_after_topic(SMS_USER, "titre_renouvellement")
    assert await talk.accept(SMS_USER) == [texts.render(texts.ASK_EXPIRY)]
    assert await talk.request(SMS_USER, "RAPPEL 15/03/2027") == [texts.render(texts.SUBSCRIBED)]
    (sub,) = await ReminderStore(client).subscriptions(SMS_USER)
    assert (sub.programme, sub.day, sub.consent.text) == (Programme.RESIDENCE_PERMIT, date(2027, 3, 15), offer)


async def test_the_quarterly_declaration_asks_the_last_month(client: aioredis.Redis, rules: Programmes) -> None:
    talk = conversation(client, rules)
    await talk.offer_after_topic(SMS_USER, "caf_dtr")
    assert await talk.accept(SMS_USER) == [texts.render(texts.ASK_LAST_DECLARATION)]
    assert await talk.request(SMS_USER, "RAPPEL octobre") == [texts.render(texts.SUBSCRIBED)]
    (sub,) = await ReminderStore(client).subscriptions(SMS_USER)
    assert sub.months == (1, 4, 7, 10)


async def test_rappels_lists_and_stop_rappel_n_stops_one(client: aioredis.Redis, rules: Programmes) -> None:
    talk = conversation(client, rules)
    await talk.set_up(SMS_USER, Programme.ACTUALISATION, "sms")
    talk.now = Clock(paris(2026, 12, 7, 15, 35))  # numbered in the order the resident accepted them
    await talk.set_up(SMS_USER, Programme.ONE_OFF, "sms", day=date(2027, 1, 15))
    (listed,) = await talk.command(SMS_USER, "RAPPELS")
    assert "1. démarche mensuelle France Travail" in listed and "2. rappel à une date : le 15 janvier" in listed
    assert await talk.command(SMS_USER, "STOP RAPPEL 1") == [texts.render(texts.STOPPED_ONE)]
    (listed,) = await talk.command(SMS_USER, "rappels")
    assert "1. rappel à une date" in listed and "France Travail" not in listed
    assert await talk.command(SMS_USER, "STOP RAPPEL 7") == [listed]  # no such number: the list again


async def test_stop_rappels_stops_reminders_only(client: aioredis.Redis, rules: Programmes) -> None:
    talk = conversation(client, rules)
    await talk.set_up(SMS_USER, Programme.ACTUALISATION, "sms")
    assert await talk.command(SMS_USER, "STOP RAPPELS") == [texts.render(texts.STOPPED_ALL)]
    assert await ReminderStore(client).subscriptions(SMS_USER) == []
    assert not await OptOutStore(client).is_opted_out(SMS_USER)  # the other messages go on
    assert await talk.command(SMS_USER, "arrêtez tous les rappels", "reminders_stop") == [
        texts.render(texts.NONE_ACTIVE)
    ]
    events = [e["event"] for e in await ReminderStore(client).consent_log(SMS_USER)]
    assert events == ["consent", "stop"]


async def test_mes_donnees_tells_about_the_reminders(client: aioredis.Redis, rules: Programmes) -> None:
    store = ReminderStore(client)
    assert await store.data_notice(SMS_USER) is None
    await conversation(client, rules).set_up(SMS_USER, Programme.ACTUALISATION, "sms")
    assert await store.data_notice(SMS_USER) == texts.data_notice(1)
    assert "1 en cours" in texts.data_notice(1) and "STOP RAPPELS" in texts.data_notice(1)


async def test_fait_without_a_reminder_sent(client: aioredis.Redis, rules: Programmes) -> None:
    talk = conversation(client, rules)
    await talk.set_up(SMS_USER, Programme.ACTUALISATION, "sms")
    assert await talk.command(SMS_USER, "FAIT") == [texts.render(texts.DONE_NOTHING)]


async def test_a_mediator_sets_one_up_at_the_counter(client: aioredis.Redis, rules: Programmes) -> None:
    talk = conversation(client, rules)
    sub = await talk.set_up(SMS_USER, Programme.ACTUALISATION, "sms", given_by="mediator")
    assert isinstance(sub, Subscription)
    (stored,) = await ReminderStore(client).subscriptions(SMS_USER)
    assert stored.consent.given_by == "mediator"
    events = await ActivityLog(client).events(NOW.timestamp() - 86400, NOW.timestamp() + 86400)
    assert [(e["kind"], e["action"], e["topic"], e.get("by")) for e in events] == [
        ("reminder", "subscribed", "actualisation", "mediator")
    ]


async def test_rappels_and_the_card_answers_in_the_residents_language(
    client: aioredis.Redis, rules: Programmes
) -> None:
    """Issue 23: the RAPPELS list (its lines too), the card's date answers and the detail asked, in Spanish."""
    from bot.language.codes import Language
    from bot.language.store import LanguageStore, Preference

    await LanguageStore(client, 3600).save(SMS_USER, Preference(Language.ES, "chosen"))
    talk = conversation(client, rules)
    assert await talk.request(SMS_USER, "ma carte de séjour expire le 01/12/2026") == [
        texts.render(texts.PERMIT_EXPIRED, language="es")
    ]
    assert "Su tarjeta ha caducado" in texts.render(texts.PERMIT_EXPIRED, language="es")
    await talk.offer_after_topic(SMS_USER, "titre_renouvellement")
    (ask,) = await talk.accept(SMS_USER) or [""]
    assert ask.startswith("Escriba RAPPEL") and "RAPPEL 15/03/2027" in ask
    assert await talk.request(SMS_USER, "RAPPEL 15/03/2027") == [texts.render(texts.SUBSCRIBED, language="es")]
    await talk.set_up(SMS_USER, Programme.ONE_OFF, "sms", day=date(2027, 1, 15))
    (listed,) = await talk.command(SMS_USER, "RAPPELS")
    assert listed.startswith("Sus avisos:\n1. ") and ". renovación de su tarjeta (hasta el " in listed
    assert ". aviso en una fecha: el 15 de enero" in listed and listed.endswith("Todos: STOP RAPPELS.")


async def test_the_last_declaration_asked_in_english_takes_a_date(client: aioredis.Redis, rules: Programmes) -> None:
    from bot.language.codes import Language
    from bot.language.store import LanguageStore, Preference

    await LanguageStore(client, 3600).save(SMS_USER, Preference(Language.EN, "chosen"))
    talk = conversation(client, rules)
    await talk.offer_after_topic(SMS_USER, "caf_dtr")
    assert await talk.accept(SMS_USER) == [texts.render(texts.ASK_LAST_DECLARATION, language="en")]
    assert await talk.request(SMS_USER, "RAPPEL 05/10/2026") == [texts.render(texts.SUBSCRIBED, language="en")]
    (sub,) = await ReminderStore(client).subscriptions(SMS_USER)
    assert sub.months == (1, 4, 7, 10)
