"""Which Rasa tracker events count in the activity log (pure mapping, no Rasa import)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.activity import log as kinds
from bot.activity.themes import theme_of, topic_of


def activity_of(event: Mapping[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """``(kind, fields)`` for an event worth counting, else None.

    A knowledge-base answer is a bot message sent as ``utter_faq/<topic>``: it counts as a question answered,
    under the topic's theme. (Understood questions asked while a mediator holds the conversation are not
    answered by the assistant and produce no such message.)
    """
    if event.get("event") != "bot":
        return None
    topic = topic_of(str((event.get("metadata") or {}).get("utter_action") or ""))
    if not topic:
        return None
    return kinds.QUESTION, {"theme": theme_of(topic), "topic": topic}
