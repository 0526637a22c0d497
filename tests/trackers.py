"""The one tracker builder of the tests: rasa_sdk trackers from the events Rasa would store."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rasa_sdk import Tracker

RESIDENT = "sms-33612345678"


def user(
    text: str, intent: str = "", entities: list[dict[str, Any]] | None = None, confidence: float = 0.9, **parse: Any
) -> dict[str, Any]:
    """A user event as Rasa stores it (extra ``parse`` keys go into parse_data, e.g. response_selector)."""
    parse_data = {"intent": {"name": intent, "confidence": confidence}, "entities": entities or [], **parse}
    return {"event": "user", "text": text, "parse_data": parse_data}


def make_tracker(
    events: Sequence[dict[str, Any]] = (),
    slots: dict[str, Any] | None = None,
    sender_id: str = RESIDENT,
    active_loop: str | None = None,
) -> Tracker:
    """A tracker holding ``events``, whose latest message is the last user event."""
    users = [e for e in events if e.get("event") == "user"]
    latest = {**users[-1]["parse_data"], "text": users[-1]["text"]} if users else {}
    loop = {"name": active_loop} if active_loop else {}
    return Tracker(sender_id, dict(slots or {}), latest, list(events), False, None, loop, "action_listen")
