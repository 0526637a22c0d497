"""Privacy requests in natural words (NLU intents): the erasure confirmation, and what is kept."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions import deps
from bot import wiring
from bot.privacy import messages
from bot.privacy.gate import ask_confirmation
from bot.reminders.store import ReminderStore


class ActionPrivacyEraseAsk(Action):
    """ "Supprimez mes données": ask for EFFACER and a one-time code; the channel's privacy gate erases on it."""

    def name(self) -> str:
        return "action_privacy_erase_ask"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        question, buttons = await ask_confirmation(
            deps.get_redis(), tracker.sender_id, str(tracker.get_slot("language") or "fr")
        )
        dispatcher.utter_message(text=question, buttons=buttons or [])
        return []


class ActionPrivacyInfo(Action):
    """ "Vous gardez mes messages ?": what is kept, why, how long, how to erase, whom to contact."""

    def name(self) -> str:
        return "action_privacy_info"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        settings = deps.get_settings()
        dispatcher.utter_message(
            text=messages.info(
                settings.retention_days, wiring.contact(settings), str(tracker.get_slot("language") or "fr")
            )
        )
        reminders = await ReminderStore(deps.get_redis()).data_notice(tracker.sender_id)
        if reminders:
            dispatcher.utter_message(text=reminders)
        return []
