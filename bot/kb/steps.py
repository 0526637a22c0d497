"""PLUS: find the last FAQ topic answered in a conversation and pack its steps into short messages."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from bot.kb.model import MAX_SEGMENTS, sms_segments

FAQ_INTENT = "faq"
MORE_INTENT = "more"
_UTTER_PREFIX = "utter_faq/"


def topic_from_parse_data(parse_data: dict[str, Any]) -> str | None:
    """The FAQ topic (kb id) the response selector chose for a parsed message, None for other messages."""
    selector = parse_data.get("response_selector") or {}
    for key in (FAQ_INTENT, "default"):
        response = (selector.get(key) or {}).get("response") or {}
        utter = str(response.get("utter_action") or "")
        if utter.startswith(_UTTER_PREFIX):
            return utter.removeprefix(_UTTER_PREFIX)
        irk = str(response.get("intent_response_key") or "")
        if irk.startswith(FAQ_INTENT + "/"):
            return irk.split("/", 1)[1]
    return None


def last_faq_topic(events: Iterable[dict[str, Any]]) -> str | None:
    """Topic of the FAQ answer just before the latest user message(s) asking PLUS, else None.

    Walks the events backwards: a bot message sent as ``utter_faq/<topic>`` or a user message
    classified ``faq`` gives the topic; a user message with another intent (not PLUS) ends the search.
    """
    seen_current = False
    for event in reversed(list(events)):
        kind = event.get("event")
        if kind == "bot":
            utter = str((event.get("metadata") or {}).get("utter_action") or "")
            if utter.startswith(_UTTER_PREFIX):
                return utter.removeprefix(_UTTER_PREFIX)
        elif kind == "user":
            parse_data = event.get("parse_data") or {}
            intent = (parse_data.get("intent") or {}).get("name")
            if not seen_current:
                seen_current = True
                if intent != FAQ_INTENT:
                    continue
            if intent == FAQ_INTENT:
                return topic_from_parse_data(parse_data)
            if intent != MORE_INTENT:
                return None
    return None


def pack_steps(steps: Iterable[str], max_segments: int = MAX_SEGMENTS) -> list[str]:
    """Group steps, in order, into messages of at most ``max_segments`` SMS segments each."""
    messages: list[str] = []
    current = ""
    for step in steps:
        candidate = f"{current}\n{step}" if current else step
        if current and sms_segments(candidate) > max_segments:
            messages.append(current)
            current = step
        else:
            current = candidate
    if current:
        messages.append(current)
    return messages
