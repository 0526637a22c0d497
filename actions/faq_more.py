"""action_faq_more: the user replied PLUS; send the numbered steps of the last FAQ answer (from kb/)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.deps import get_kb
from bot.conversation.context import current_context
from bot.kb.steps import last_faq_topic, pack_steps


class ActionFaqMore(Action):
    """Send the steps of the last answered FAQ topic, packed into short SMS."""

    def name(self) -> str:
        """Action name used in the domain and rules."""
        return "action_faq_more"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Utter the steps, or say there are none / no question was asked."""
        # The answer just before, else the topic of the last few turns ("et pour mon mari ?", then PLUS).
        topic = last_faq_topic(tracker.events) or current_context(tracker.events).topic
        if topic is None:
            dispatcher.utter_message(response="utter_faq_more_no_topic")
            return []
        entry = get_kb().get(topic)
        if entry is None or not entry.steps:
            dispatcher.utter_message(response="utter_faq_more_none")
            return []
        for message in pack_steps(entry.steps):
            dispatcher.utter_message(text=message)
        return []
