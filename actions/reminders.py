"""Deadline reminders in the conversation (issue 24): thin adapters over bot.reminders.conversation."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions import deps
from bot.kb.steps import last_faq_topic


def _say(dispatcher: CollectingDispatcher, texts: list[str]) -> None:
    for text in texts:
        dispatcher.utter_message(text=text)


class ActionReminderOffer(Action):
    """After a FAQ answer: offer the matching reminder (actualisation, quarterly declaration, card renewal)."""

    def name(self) -> str:
        return "action_reminder_offer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        topic = last_faq_topic(tracker.events)
        _say(dispatcher, await deps.get_reminders().offer_after_topic(tracker.sender_id, topic))
        return []


class ActionReminders(Action):
    """RAPPELS, STOP RAPPEL(S), FAIT, and reminders asked for in plain words or as RAPPEL <date>."""

    def name(self) -> str:
        return "action_reminders"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        text = str(tracker.latest_message.get("text") or "")
        intent = str((tracker.latest_message.get("intent") or {}).get("name") or "")
        conversation = deps.get_reminders()
        if intent == "reminders_request":
            _say(dispatcher, await conversation.request(tracker.sender_id, text))
        else:
            _say(dispatcher, await conversation.command(tracker.sender_id, text, intent))
        return []


class ActionYesNo(Action):
    """OUI / NON: takes a pending reminder offer; otherwise the usual "yes or no out of context" answer."""

    def name(self) -> str:
        return "action_yes_no"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        intent = str((tracker.latest_message.get("intent") or {}).get("name") or "")
        conversation = deps.get_reminders()
        if intent == "affirm":
            answer = await conversation.accept(tracker.sender_id)
        else:
            answer = await conversation.decline(tracker.sender_id)
        if answer is None:
            dispatcher.utter_message(response="utter_affirm_no_context")
        else:
            _say(dispatcher, answer)
        return []
