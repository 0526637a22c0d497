"""Deadline reminders in the conversation (issue 24): thin adapters over bot.reminders.conversation."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions import deps
from actions.conversation import answer_here
from bot.conversation.offers import Offer, register
from bot.kb.steps import last_faq_topic

# A reminder offer is kept in Redis by bot.reminders (OUI may then ask for a date): its yes and its no both
# are answered by action_reminder_answer within action_yes_no's turn (it finds the offer by the messages' metadata).
REMINDER = Offer("reminder", action="action_reminder_answer", markers=(), declined="", runs_on_no=True)
register(REMINDER)


def _say(dispatcher: CollectingDispatcher, texts: list[str], offer: bool = False) -> None:
    """The texts; with ``offer``, the last one carries the reminder offer (a yes or no after it comes back here)."""
    for index, text in enumerate(texts):
        if offer and index == len(texts) - 1:
            dispatcher.utter_message(text=text, offer=REMINDER.name)
        else:
            dispatcher.utter_message(text=text)


class ActionReminderOffer(Action):
    """After a FAQ answer: offer the matching reminder (actualisation, quarterly declaration, card renewal)."""

    def name(self) -> str:
        return "action_reminder_offer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        topic = last_faq_topic(tracker.events)
        conversation = deps.get_reminders()
        said = await conversation.offer_after_topic(tracker.sender_id, topic)
        _say(dispatcher, said, offer=await conversation.offers(tracker.sender_id, said))
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
            said = await conversation.request(tracker.sender_id, text)
        else:
            said = await conversation.command(tracker.sender_id, text, intent)
        _say(dispatcher, said, offer=await conversation.offers(tracker.sender_id, said))
        return []


class ActionReminderAnswer(Action):
    """OUI / NON after a reminder offer: takes or closes it; without a pending one, the "out of context" answer."""

    def name(self) -> str:
        return "action_reminder_answer"

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


answer_here(REMINDER.name, ActionReminderAnswer())
