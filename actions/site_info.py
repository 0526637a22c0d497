"""Counter information: opening hours and addresses from the site configuration."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.deps import get_clock, get_sites
from bot.conversation.followup import Kind, detect
from bot.site_messages import address_messages, day_hours_messages, hours_messages, site_query


def _query(tracker: Tracker) -> tuple[str, list[dict[str, Any]]]:
    """The text to look a site up in, and the event remembering a newly named site."""
    directory = get_sites()
    text = tracker.latest_message.get("text") or ""
    named = directory.find(text)
    if named:
        return named.id, [SlotSet("home_site", named.id)]
    return site_query(directory, tracker.get_slot("home_site")), []


class ActionSiteHours(Action):
    """Tell the opening hours of the named (or remembered) counter, or of every counter."""

    def name(self) -> str:
        return "action_site_hours"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        directory = get_sites()
        query, events = _query(tracker)
        day = detect(tracker.latest_message.get("text"))
        language = str(tracker.get_slot("language") or "fr")
        if day is not None and day.kind == Kind.DAY:  # "c'est ouvert mercredi après-midi ?": that day only
            part = day.part.value if day.part else None
            messages = day_hours_messages(directory, query, get_clock()(), day.weekday, day.offset, part, language)
        else:
            messages = hours_messages(directory, query, get_clock()(), language)
        for message in messages:
            dispatcher.utter_message(text=message)
        return events


class ActionSiteAddress(Action):
    """Tell the address of the named (or remembered) counter, or of every counter."""

    def name(self) -> str:
        return "action_site_address"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        query, events = _query(tracker)
        for message in address_messages(get_sites(), query, str(tracker.get_slot("language") or "fr")):
            dispatcher.utter_message(text=message)
        return events
