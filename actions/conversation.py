"""A conversation, not a list of questions: follow-ups and offers taken up (logic in bot/conversation)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import deps
from bot.conversation.answers import follow_up_reply
from bot.conversation.context import Service, current_context
from bot.conversation.followup import FollowUp, Kind, detect
from bot.conversation.offers import OFFERS
from bot.site_messages import address_messages, hours_messages


def answer_follow_up(dispatcher: CollectingDispatcher, tracker: Tracker, follow_up: FollowUp) -> None:
    """Send the answer to a follow-up, read against the conversation's last answers."""
    home = tracker.get_slot("home_site")
    reply = follow_up_reply(
        follow_up,
        current_context(tracker.events),
        deps.get_kb(),
        deps.get_sites(),
        deps.get_clock()(),
        str(home) if home else None,
    )
    for text in reply.texts:
        dispatcher.utter_message(text=text)
    if reply.topic is not None:
        dispatcher.utter_message(response=f"utter_faq/{reply.topic}")


class ActionFollowUp(Action):
    """A short follow-up ("et le mardi ?", "comment je fais") read against the last answers."""

    def name(self) -> str:
        return "action_follow_up"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        follow_up = detect(tracker.latest_message.get("text"))
        if follow_up is None:  # the NLU put follow_up first, so this does not happen; stay honest if it does
            dispatcher.utter_message(response="utter_fallback")
            return []
        answer_follow_up(dispatcher, tracker, follow_up)
        return []


class ActionCapabilities(Action):
    """What the assistant can do; right after an FAQ answer, "comment ça marche ?" asks for that topic's steps."""

    def name(self) -> str:
        return "action_capabilities"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        follow_up = detect(tracker.latest_message.get("text"))
        context = current_context(tracker.events)
        if follow_up is not None and follow_up.kind == Kind.HOW and context.service == Service.FAQ and context.topic:
            answer_follow_up(dispatcher, tracker, follow_up)
        else:
            dispatcher.utter_message(response="utter_capabilities")
        return []


def other_site(tracker: Tracker) -> list[str] | None:
    """The same counter information for another counter, when a yes or no names one after hours or an address."""
    directory = deps.get_sites()
    named = directory.find(tracker.latest_message.get("text") or "")
    context = current_context(tracker.events)
    if named is None or context.service not in (Service.HOURS, Service.ADDRESS):
        return None
    language = str(tracker.get_slot("language") or "fr")
    if context.service == Service.HOURS:
        return hours_messages(directory, named.id, deps.get_clock()(), language)
    return address_messages(directory, named.id, language)


# Offers whose yes or no is answered within this turn by another action's ``run`` (a FollowupAction would leave
# the dialogue policy to guess what follows it): offer name -> action (actions/reminders.py registers its own).
ANSWERED_HERE: dict[str, Action] = {}


def answer_here(offer_name: str, action: Action) -> None:
    """Let ``action`` answer the yes or no that takes the offer ``offer_name``, in the same turn."""
    ANSWERED_HERE[offer_name] = action


class ActionYesNo(Action):
    """A yes takes what the last answer offered (RDV, PLUS, MEDIATEUR...); a no closes it politely."""

    def name(self) -> str:
        return "action_yes_no"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        corrected = other_site(tracker)
        if corrected is not None:  # "non, plutôt Vaulx" after the hours of Lyon 8e
            for text in corrected:
                dispatcher.utter_message(text=text)
            named = deps.get_sites().find(tracker.latest_message.get("text") or "")
            return [SlotSet("home_site", named.id)] if named else []
        offer = OFFERS.pending(tracker.events)
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if offer is None:
            dispatcher.utter_message(response="utter_affirm_no_context")
            return []
        if intent == "deny" and not offer.runs_on_no:
            dispatcher.utter_message(text=offer.declined)
            return []
        inline = ANSWERED_HERE.get(offer.name)
        if inline is not None:
            return list(await inline.run(dispatcher, tracker, domain))
        return [FollowupAction(offer.action)]
