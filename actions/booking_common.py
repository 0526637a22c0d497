"""Helpers shared by the booking actions: reading SMS-style replies, slot resets."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

from bot.text import normalize

BOOKING_SLOTS = (
    "booking_mode",
    "booking_motive",
    "booking_site",
    "booking_date",
    "booking_target",
    "booking_slot",
    "booking_confirm",
    "booking_offers",
    "booking_after",
    "booking_cancel_confirm",
)
NO_TARGET = "none"
DIGRESSION_INTENTS = {"faq", "stop_booking", "cancel_appointment"}
INTERRUPTING_INTENTS = {"human_handoff"}
_NUMBER_WORDS = {
    "un": 1,
    "une": 1,
    "premier": 1,
    "premiere": 1,
    "deux": 2,
    "deuxieme": 2,
    "second": 2,
    "seconde": 2,
    "trois": 3,
    "troisieme": 3,
    "quatre": 4,
    "quatrieme": 4,
    "cinq": 5,
    "six": 6,
    "sept": 7,
    "huit": 8,
}
_NUMBER = re.compile(
    r"^(?:(?:le|la|n|no|num|numero|choix|option|creneau|rep|reponse)\s+)*(\d{1,2})"
    r"(?:\s+(?:svp|stp|merci|s il vous plait|s il te plait|please|autres? jours?"
    r"|autres? dates?))*$"
)
_OTHER_DAYS = re.compile(
    r"^(d )?(autres?|un autre|une autre) (jours?|dates?|creneaux?|moments?)"
    r"( svp| stp| merci)?$"
)
_YES = {
    "oui",
    "ouais",
    "ouai",
    "ok",
    "okay",
    "oki",
    "d accord",
    "dac",
    "daccord",
    "yes",
    "o",
    "confirme",
    "je confirme",
    "c est bon",
    "cest bon",
    "ca marche",
    "parfait",
    "oui merci",
    "oui svp",
    "oui stp",
    "vas y",
    "go",
    "bien sur",
    "exact",
    "valide",
    "je valide",
    "super",
    "top",
    "oui c est bon",
}
_NO = {"non", "nan", "no", "n", "non merci", "pas ca", "pas celui la", "autre", "un autre", "non pas ca"}


def form_activating(tracker: Tracker, forms: tuple[str, ...]) -> bool:
    """Whether none of ``forms`` runs yet, or one is being activated by this very message.

    At activation Rasa already marks the form active: its ActiveLoop event then follows the latest user
    message, whereas a form continuing from an earlier turn was activated before it.
    """
    name = (tracker.active_loop or {}).get("name")
    if name not in forms:
        return True
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "active_loop" and event.get("name") == name:
            return True
    return False


def interrupts_form(tracker: Tracker) -> bool:
    """Whether the message must leave the form to other rules (danger, request for a person)."""
    intent = latest_intent(tracker)
    return (intent.startswith("danger_") and intent != "danger_unsure") or intent in INTERRUPTING_INTENTS


class KeepExtraSlots:
    """Mixin for FormValidationAction: keep slots extracted beside the required ones.

    rasa_sdk drops extracted slots that are not required (offers, date wish, "autres jours" marker,
    motive and site copied from a booking being moved); booking slots must survive.
    A danger message or a request for a person fills nothing, so Rasa rejects the form and the
    interruption rules (data/rules/interruptions.yml) answer first.
    """

    async def run(self, dispatcher: Any, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        """Validate the form unless the message interrupts it."""
        if interrupts_form(tracker):
            return []
        events: list[dict[str, Any]] = await super().run(dispatcher, tracker, domain)  # type: ignore[misc]
        return events

    async def get_validation_events(
        self, dispatcher: Any, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Validation events plus the extra booking slots set by this turn's extraction."""
        events: list[dict[str, Any]] = await super().get_validation_events(dispatcher, tracker, domain)  # type: ignore[misc]
        kept = {e["name"] for e in events}
        extras = {k: v for k, v in tracker.slots_to_validate().items() if k in BOOKING_SLOTS and k not in kept}
        return events + [SlotSet(k, v) for k, v in extras.items()]


def latest_text(tracker: Tracker) -> str:
    """The latest user message text."""
    return tracker.latest_message.get("text") or ""


def latest_intent(tracker: Tracker) -> str:
    """The latest intent name (retrieval intents reduced to their base, e.g. ``faq``)."""
    name = (tracker.latest_message.get("intent") or {}).get("name") or ""
    return name.split("/")[0]


def entity(tracker: Tracker, name: str) -> str | None:
    """The first value of an entity in the latest message."""
    value = next(tracker.get_latest_entity_values(name), None)
    return str(value) if value is not None else None


def is_digression(tracker: Tracker) -> bool:
    """Whether the message is a side question or a quit request (the form must let rules handle it)."""
    return latest_intent(tracker) in DIGRESSION_INTENTS


def parse_choice(text: str) -> int | None:
    """A menu number from ``"1"``, ``"le 2"``, ``"n°3"``, ``"deux"``; None otherwise."""
    norm = normalize(text)
    match = _NUMBER.match(norm)
    if match:
        return int(match.group(1))
    return _NUMBER_WORDS.get(re.sub(r"^(le|la) |\s+(svp|stp|merci)$", "", norm))


def asks_other_days(text: str) -> bool:
    """Whether the reply asks for other days (same as the last menu number)."""
    return bool(_OTHER_DAYS.match(normalize(text)))


def parse_yes_no(tracker: Tracker) -> bool | None:
    """True for a yes, False for a no, None when the reply is neither."""
    norm = normalize(latest_text(tracker))
    if norm in _YES or norm.startswith("oui "):
        return True
    if norm in _NO or norm.startswith("non "):
        return False
    intent = latest_intent(tracker)
    if intent == "affirm":
        return True
    if intent == "deny":
        return False
    return None


def reset_events() -> list[dict[str, Any]]:
    """Forget every booking slot (after success, abandon or cancel)."""
    return [SlotSet(name, None) for name in BOOKING_SLOTS] + [SlotSet("requested_slot", None)]
