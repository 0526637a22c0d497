"""The reminder actions only adapt bot.reminders: the offer after a FAQ answer, OUI / NON, the keywords."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

import pytest
import redis.asyncio as aioredis
from rasa_sdk.executor import CollectingDispatcher

from actions import deps
from actions.conversation import ActionYesNo
from actions.reminders import ActionReminderAnswer, ActionReminderOffer, ActionReminders
from bot.clock import PARIS
from bot.reminders import texts
from bot.reminders.conversation import ReminderConversation
from bot.reminders.programmes import Programme, load_programmes
from tests.trackers import RESIDENT, make_tracker, user

NOW = datetime(2026, 12, 9, 10, tzinfo=PARIS)


@pytest.fixture
async def talk(client: aioredis.Redis) -> AsyncIterator[ReminderConversation]:
    conversation = ReminderConversation(client, load_programmes(), lambda: NOW)
    deps.get_reminders.override(conversation)
    yield conversation
    deps.reset()


async def said(action: Any, events: list[dict[str, Any]]) -> list[str]:
    dispatcher = CollectingDispatcher()
    await action.run(dispatcher, make_tracker(events), {})
    return [m.get("text") or m.get("response") for m in dispatcher.messages]


FAQ = [
    user("c'est quand l'actualisation ?", "faq"),
    {"event": "bot", "text": "...", "metadata": {"utter_action": "utter_faq/ft_actualisation"}},
]


async def test_offer_after_the_actualisation_answer_then_oui(talk: ReminderConversation) -> None:
    assert await said(ActionReminderOffer(), FAQ) == [texts.offer_text(Programme.ACTUALISATION)]
    assert await said(ActionReminderAnswer(), [*FAQ, user("oui", "affirm")]) == [texts.render(texts.SUBSCRIBED)]
    (listed,) = await said(ActionReminders(), [user("RAPPELS", "reminders_list")])
    assert "1. démarche mensuelle France Travail" in listed


async def test_no_offer_after_other_answers_and_yes_without_offer(talk: ReminderConversation) -> None:
    other = [user("numéro de la caf", "faq"), {"event": "bot", "metadata": {"utter_action": "utter_faq/caf_contact"}}]
    assert await said(ActionReminderOffer(), other) == []
    assert await said(ActionReminderAnswer(), [user("oui", "affirm")]) == ["utter_affirm_no_context"]
    assert await said(ActionReminderAnswer(), [user("non", "deny")]) == ["utter_affirm_no_context"]


async def test_plain_words_then_stop_in_other_words(talk: ReminderConversation) -> None:
    (offer,) = await said(
        ActionReminders(), [user("rappelez-moi le 15 janvier pour la préfecture", "reminders_request")]
    )
    assert "15 janvier" in offer
    await said(ActionReminderAnswer(), [user("oui", "affirm")])
    stopped = await said(ActionReminders(), [user("arrêtez tous les rappels", "reminders_stop")])
    assert stopped == [texts.render(texts.STOPPED_ALL)]
    assert await talk.store.subscriptions(RESIDENT) == []


async def test_an_offer_is_marked_for_the_dialogue_and_other_answers_are_not(talk: ReminderConversation) -> None:
    async def offers(action: Any, events: list[dict[str, Any]]) -> list[Any]:
        dispatcher = CollectingDispatcher()
        await action.run(dispatcher, make_tracker(events), {})
        return [m.get("offer") for m in dispatcher.messages]

    asked = [user("prévenez-moi pour l'actualisation", "reminders_request")]
    assert await offers(ActionReminders(), asked) == ["reminder"]  # "Répondez OUI": action_yes_no comes back here
    assert await offers(ActionReminderOffer(), FAQ) == ["reminder"]
    assert await offers(ActionReminders(), [user("RAPPELS", "reminders_list")]) == [None]


async def test_the_dialogue_yes_after_a_reminder_offer_subscribes_in_the_same_turn(talk: ReminderConversation) -> None:
    offer_turn = [
        *FAQ,
        {"event": "bot", "text": texts.offer_text(Programme.ACTUALISATION), "metadata": {"offer": "reminder"}},
    ]
    await said(ActionReminderOffer(), FAQ)  # the offer is pending
    assert await said(ActionYesNo(), [*offer_turn, user("ok je veux bien", "affirm")]) == [
        texts.render(texts.SUBSCRIBED)
    ]
    await said(ActionReminderOffer(), [user("actualisation ?", "faq"), FAQ[1]])  # already subscribed: no offer
    assert await said(ActionYesNo(), [*offer_turn, user("non", "deny")]) == ["utter_affirm_no_context"]
