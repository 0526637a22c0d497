"""Honest fallback when the assistant did not understand."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher


class ActionFallback(Action):
    """Say that the message was not understood, suggest topics and offer a mediator."""

    def name(self) -> str:
        return "action_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        dispatcher.utter_message(response="utter_fallback")
        # Forget the misunderstood turn so that an active form or story goes on unchanged.
        return [UserUtteranceReverted()]
