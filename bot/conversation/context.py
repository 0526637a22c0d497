"""What the last few turns of a conversation were about: FAQ topic, counter information, site.

Read from the tracker's events (Rasa's stored dicts), newest first, over at most :data:`MAX_TURNS` earlier
user messages: a follow-up is read against the latest answer that can carry one. The current (latest) user
message is the follow-up itself and is skipped. Earlier follow-ups, thanks, yes and no are transparent
("et le mardi ?" then "et le jeudi ?" both read the hours answer); another request ends the context.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from bot.kb.steps import FAQ_INTENT, topic_from_parse_data

MAX_TURNS = 3
FOLLOW_UP_INTENT = "follow_up"
_UTTER_PREFIX = "utter_faq/"
# Messages that do not change what the conversation is about.
TRANSPARENT_INTENTS = frozenset({FOLLOW_UP_INTENT, "thanks", "affirm", "deny", "more", "greet", "capabilities"})


class Service(str, Enum):
    """What the answer a follow-up refers to was about."""

    FAQ = "faq"
    HOURS = "hours"
    ADDRESS = "address"


SERVICE_OF_INTENT = {"ask_hours": Service.HOURS, "ask_address": Service.ADDRESS}


@dataclass(frozen=True)
class Context:
    """The latest answer a follow-up can refer to."""

    service: Service | None = None
    topic: str | None = None  # FAQ topic (kb id) when service is FAQ
    text: str = ""  # the resident's message that got that answer (a site may be named in it)


def _intent(event: dict[str, Any]) -> str:
    name = str(((event.get("parse_data") or {}).get("intent") or {}).get("name") or "")
    return name.split("/")[0]


def _faq_topic(event: dict[str, Any]) -> str | None:
    """The topic of a user message classified ``faq`` (the response selector's choice)."""
    return topic_from_parse_data(event.get("parse_data") or {})


def current_context(events: Sequence[dict[str, Any]], max_turns: int = MAX_TURNS) -> Context:
    """The context the latest user message is read against (empty ``Context()`` when there is none)."""
    topic: str | None = None  # from a bot message sent as utter_faq/<topic>, newer than its question
    seen_current = False
    turns = 0
    for event in reversed(events):
        kind = event.get("event")
        if kind in ("session_started", "restart"):
            break
        if kind == "bot" and seen_current:
            utter = str((event.get("metadata") or {}).get("utter_action") or "")
            if utter.startswith(_UTTER_PREFIX) and topic is None:
                topic = utter.removeprefix(_UTTER_PREFIX)
            continue
        if kind != "user" or str(event.get("text") or "").startswith("EXTERNAL: "):
            continue
        if not seen_current:
            seen_current = True
            continue
        turns += 1
        if turns > max_turns:
            break
        intent = _intent(event)
        text = str(event.get("text") or "")
        if intent == FAQ_INTENT:
            found = topic or _faq_topic(event)
            return Context(Service.FAQ, found, text) if found else Context()
        if intent in SERVICE_OF_INTENT:
            return Context(SERVICE_OF_INTENT[intent], None, text)
        if topic is not None:  # an FAQ answer given to a message of another intent (e.g. a form digression)
            return Context(Service.FAQ, topic, text)
        if intent not in TRANSPARENT_INTENTS:
            break
    return Context()
