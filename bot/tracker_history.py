"""A conversation's history in two Redis keys: what Rasa loads at every turn, and the archive of the rest.

Rasa 3.6 reads, replays and re-writes the whole stored tracker at every turn and sends it whole to the action
server: a resident who writes for months made every turn slower. The tracker store (``stores/tracker_store.py``)
therefore keeps in the tracker key only the current session, and of a long session only its last turns, behind a
short *carried state* (a session start that sets the slots, the active form and the pause as they were). Every
event that leaves the tracker key is appended, in the same transaction, to the archive key of the sender: a Redis
list of JSON arrays of events, expiring with the tracker key.

The archive followed by the tracker key's events without the carried state is exactly the history an unbounded
tracker would hold: the export, the console's transcript (Rasa's full tracker) and erasure read or delete both.

This module holds the rules on Rasa's stored event dicts; it imports nothing from Rasa.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

SESSION_START = "action_session_start"
# Metadata of a carried state's session start: how many events the carried state has (itself included).
CARRIED = "pimms_carried_state"
TRACKER_KIND = "tracker:"  # Rasa's own key part after the key prefix ("pimmstracker:tracker:<sender>")
ARCHIVE_KIND = "archive:"

Event = dict[str, Any]


def archive_prefix(tracker_prefix: str) -> str:
    """The archive keys' prefix beside a tracker store's prefix (``pimmstracker:tracker:`` -> ``…:archive:``)."""
    base = tracker_prefix.removesuffix(TRACKER_KIND)
    return base + ARCHIVE_KIND


def is_session_start(event: Event) -> bool:
    """Whether an event is the execution of ``action_session_start`` (where Rasa splits sessions)."""
    return event.get("event") == "action" and event.get("name") == SESSION_START


def carried_length(events: Sequence[Event]) -> int:
    """How many leading events are a carried state written by a bound (0 when the events begin otherwise)."""
    if not events or not is_session_start(events[0]):
        return 0
    count = (events[0].get("metadata") or {}).get(CARRIED)
    return int(count) if isinstance(count, int) and 0 < count <= len(events) else 0


def real_events(events: Sequence[Event]) -> list[Event]:
    """The events of a stored tracker without its carried state."""
    return list(events[carried_length(events) :])


def last_session_start(events: Sequence[Event]) -> int:
    """Index of the latest session start after the first event (0 when the events hold one session)."""
    for index in range(len(events) - 1, 0, -1):
        if is_session_start(events[index]):
            return index
    return 0


def turn_cut(events: Sequence[Event], keep_turns: int, max_turns: int) -> int:
    """Where to cut a single session that holds more than ``max_turns`` resident messages (0: no cut).

    The cut is at a resident message, so that the ``keep_turns`` latest ones and everything after them stay:
    a turn is never split, and the last few turns (a pending offer, a follow-up's topic, a fallback in a row)
    are still there for the policies and the actions.
    """
    start = carried_length(events)
    users = [index for index in range(start, len(events)) if events[index].get("event") == "user"]
    if keep_turns < 1 or len(users) <= max(max_turns, keep_turns):
        return 0
    return users[-keep_turns]


@dataclass(frozen=True)
class Bounded:
    """A stored tracker's events split into what leaves for the archive and what Rasa keeps loading."""

    archived: list[Event]  # real events, oldest first, to append to the archive
    current: list[Event]  # the latest session (a carried state may still have to be put before a cut)
    cut: int  # index in ``current`` of the first kept event after a cut (0: no cut)


def bound(events: Sequence[Event], keep_turns: int, max_turns: int) -> Bounded:
    """Archive every session but the latest, then the turns of the latest session beyond its last ones.

    When ``cut`` is not 0, the caller replaces ``current[:cut]`` with the carried state at that point.
    """
    carried = carried_length(events)
    start = last_session_start(events)
    if start:
        archived, current = list(events[carried:start]), list(events[start:])
    else:
        archived, current = [], list(events)
    cut = turn_cut(current, keep_turns, max_turns)
    if cut:
        archived += current[carried_length(current) : cut]
    return Bounded(archived, current, cut)


def archive_chunk(events: Sequence[Event]) -> str:
    """One element of an archive list."""
    return json.dumps(list(events), ensure_ascii=False)


def full_history(chunks: Iterable[str | bytes], current: Sequence[Event]) -> list[Event]:
    """Every event of a conversation: the archive's chunks in order, then the tracker key's real events."""
    events: list[Event] = []
    for chunk in chunks:
        events.extend(json.loads(chunk))
    return events + real_events(current)
