"""Rasa's Redis tracker store, saving faster, and announcing every save of a held conversation.

endpoints.yml selects it with ``tracker_store: type: stores.tracker_store.PimmsTrackerStore`` and the same
keys as Rasa's ``redis`` type (url, port, db, password, key_prefix, record_exp).

- Faster save: Rasa's store re-reads the stored tracker at every save, rebuilds it event by event, and merges
  it with the new one (only needed when the conversation has earlier sessions, which ``retrieve`` leaves
  out). When the stored tracker has a single session, the tracker being saved already holds every stored
  event (the turn ran under the conversation lock), so it is written as is.
  A tracker with fewer events than the stored one (a fresh tracker after a failed read) is merged too.
- Event broker: Rasa re-reads the tracker once more at every save to find the new events; here they are the
  events past the stored ones (Rasa's own rule: an offset), known without that read.
- Announcement: see ``bot.handoff.activity`` (the console reacts instead of polling Rasa).
- No silent fallback: Rasa wraps every tracker store in ``FailSafeTrackerStore``, which answers a failed read with
  a fresh tracker and keeps a failed save in memory only. During a Redis failover that would run a turn on an
  empty conversation, or send a turn's answers and forget them (the next turn then starts from the stored
  tracker without it). For this store the error goes up instead: the turn fails, the inbound pump runs it again
  once Redis answers, and the answers the first attempt sent are not sent twice (``channels.runtime.TurnReplies``).
- Timeouts: Rasa's store calls a *synchronous* Redis client inside the event loop, without any socket timeout:
  a stalled Redis (VM pause, SIGSTOP, blackholed network) froze the whole Rasa process, webhooks included. Every
  command now gives up after ``SOCKET_TIMEOUT`` seconds, so the webhooks keep answering (and spool) meanwhile.
- Bounded tracker (issue 27): the tracker key holds the current session only, and of a long session its last
  ``keep_turns`` resident messages behind a carried state (slots, active form, pause); what leaves it goes to the
  sender's archive key in the same transaction (``bot.tracker_history``). A turn's cost no longer grows with the
  conversation; Rasa's full tracker (console transcript) is the archive plus the tracker key, nothing is lost.
  endpoints.yml may set ``keep_turns`` and ``max_turns`` (a cut happens past ``max_turns`` messages).
"""

from __future__ import annotations

import itertools
import json
import logging
from collections.abc import Sequence
from typing import Any

import redis
from rasa.core.tracker_store import FailSafeTrackerStore, RedisTrackerStore
from rasa.shared.core.constants import ACTION_LISTEN_NAME, ACTION_SESSION_START_NAME
from rasa.shared.core.conversation import Dialogue
from rasa.shared.core.events import ActionExecuted, ActiveLoop, ConversationPaused, Event, SessionStarted, SlotSet
from rasa.shared.core.trackers import DialogueStateTracker
from redis.exceptions import RedisError

from bot import redis_connect, tracker_history
from bot.handoff import activity

log = logging.getLogger(__name__)
HANDOFF_SLOT = "handoff_state"
SENTINEL_KEYS = ("sentinels", "sentinel_master", "sentinel_password", "wait_replicas", "wait_timeout_ms")
SOCKET_TIMEOUT = 2.0  # seconds the event loop may block on one tracker command
# A session keeps its last KEEP_TURNS resident messages once it holds more than MAX_TURNS (docs/benchmarks.md,
# "Turn cost as a conversation grows"): the follow-up context reads 3 earlier messages (bot/conversation/context.py).
KEEP_TURNS = 5
MAX_TURNS = 10


def stored_events(serialised: str | bytes | None) -> list[dict[str, Any]]:
    """The events of a stored tracker (none when nothing is stored)."""
    return (json.loads(serialised).get("events") or []) if serialised is not None else []


def has_earlier_sessions(events: list[dict[str, Any]]) -> bool:
    """Whether stored events hold more than one session (a session start after the first event)."""
    return any(e.get("event") == "action" and e.get("name") == ACTION_SESSION_START_NAME for e in events[1:])


def continues(tracker: DialogueStateTracker, stored: Sequence[dict[str, Any]]) -> bool:
    """Whether ``tracker`` was read from ``stored`` (its events begin with them): the new ones are past them."""
    if len(tracker.events) < len(stored):
        return False
    if not stored:
        return True
    last = tracker.events[len(stored) - 1]
    return bool(last.type_name == stored[-1].get("event") and last.timestamp == stored[-1].get("timestamp"))


def with_timeouts(client: redis.Redis, seconds: float) -> redis.Redis:
    """The same Redis client (address, credentials, TLS, decoding) with connect and read timeouts."""
    pool = client.connection_pool
    options = {**pool.connection_kwargs, "socket_timeout": seconds, "socket_connect_timeout": seconds}
    pool.disconnect()
    return redis.Redis(connection_pool=pool.__class__(connection_class=pool.connection_class, **options))


class PimmsTrackerStore(RedisTrackerStore):
    """Saves trackers like Rasa's Redis store, bounded; announces held conversations on the activity stream."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Rasa's Redis store, whose client gets connect and read timeouts (a stalled Redis cannot freeze Rasa).

        With ``sentinels`` (bot/redis_connect.py), the client follows the primary Redis Sentinel names."""
        sentinel = {name: kwargs.pop(name) for name in SENTINEL_KEYS if name in kwargs}
        self.keep_turns = int(kwargs.pop("keep_turns", None) or KEEP_TURNS)
        self.max_turns = max(int(kwargs.pop("max_turns", None) or MAX_TURNS), self.keep_turns)
        super().__init__(*args, **kwargs)
        self.archive_prefix = tracker_history.archive_prefix(self.key_prefix)
        if sentinel.get("sentinels"):
            self.__dict__["red"].close()
            options = {**kwargs, **sentinel, "url": kwargs.get("host")}
            store = redis_connect.settings_of_store(options)
            self.red: redis.Redis = redis_connect.sync_client(
                store, timeout=SOCKET_TIMEOUT, connect_timeout=SOCKET_TIMEOUT, decode=True
            )
        else:
            self.red = with_timeouts(self.__dict__["red"], SOCKET_TIMEOUT)

    async def _retrieve(self, sender_id: str, fetch_all_sessions: bool) -> DialogueStateTracker | None:
        """The latest session (one replay of its events), or the whole history: archive, then tracker key."""
        key = self.key_prefix + sender_id
        if fetch_all_sessions:
            # One transaction: a save moving events to the archive meanwhile cannot hide or repeat any.
            pipe = self.red.pipeline(transaction=True)
            pipe.get(key)
            pipe.lrange(self.archive_prefix + sender_id, 0, -1)
            raw, chunks = pipe.execute()
            if raw is None and not chunks:
                return None
            return self._tracker_of(sender_id, tracker_history.full_history(chunks, stored_events(raw)))
        raw = self.red.get(key)
        if raw is None:
            return None
        events = stored_events(raw)
        # Only a key written before the bound holds earlier sessions: Rasa's rule, without its second replay.
        return self._tracker_of(sender_id, events[tracker_history.last_session_start(events) :])

    def _tracker_of(self, sender_id: str, events: list[dict[str, Any]]) -> DialogueStateTracker:
        tracker = self.init_tracker(sender_id)
        tracker.recreate_from_dialogue(Dialogue.from_parameters({"name": sender_id, "events": events}))
        return tracker

    async def save(self, tracker: DialogueStateTracker, timeout: float | None = None) -> None:
        """Save (merging only when needed), bounded, then tell the console about held conversations."""
        key = self.key_prefix + tracker.sender_id
        raw = self.red.get(key)
        stored = stored_events(raw)
        # Fewer events than stored: this tracker was not read from the stored one (Rasa's fail-safe store gives a
        # fresh tracker when a read fails): merge, never overwrite the conversation with it. A key written before
        # the bound may hold earlier sessions, which retrieve() left out: merge them back too (Rasa's way).
        if raw is not None and (has_earlier_sessions(stored) or not continues(tracker, stored)):
            await self.stream_events(tracker)
            prior = self.deserialise_tracker(tracker.sender_id, raw)
            if prior is not None:
                tracker = self._merge_trackers(prior, tracker)
        elif self.event_broker is not None:
            new = list(itertools.islice(tracker.events, len(stored), None))
            await self._stream_new_events(self.event_broker, new, tracker.sender_id)
        self._write(tracker, timeout or self.record_exp)
        if activity.is_held(tracker.is_paused(), tracker.get_slot(HANDOFF_SLOT)):
            try:
                activity.announce(self.red, tracker.sender_id)
            except RedisError as exc:  # the turn is saved; the console catches up when it restarts
                log.warning("held conversation not announced to the console: %s", type(exc).__name__)

    def _write(self, tracker: DialogueStateTracker, ttl: float | None) -> None:
        """Write the bounded tracker key; what leaves it joins the archive in the same transaction."""
        events = [event.as_dict() for event in tracker.events]
        bounded = tracker_history.bound(events, self.keep_turns, self.max_turns)
        current = bounded.current
        if bounded.cut:
            current = self._carried_state(tracker.sender_id, current[: bounded.cut]) + current[bounded.cut :]
        body = json.dumps({"events": current, "name": tracker.sender_id}, ensure_ascii=False)
        key, archive = self.key_prefix + tracker.sender_id, self.archive_prefix + tracker.sender_id
        expiry = max(1, int(ttl)) if ttl else None
        pipe = self.red.pipeline(transaction=bool(bounded.archived))
        if bounded.archived:
            pipe.rpush(archive, tracker_history.archive_chunk(bounded.archived))
        pipe.set(key, body, ex=expiry)
        if expiry:
            pipe.expire(archive, expiry)  # the archive lives as long as the conversation (no-op when none)
        pipe.execute()

    def _carried_state(self, sender_id: str, before: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """A session start that sets the slots, the active form and the pause as they are after ``before``."""
        past = DialogueStateTracker.from_dict(sender_id, before, self.domain.slots)
        at = float(before[-1].get("timestamp") or 0)
        state: list[Event] = [
            SlotSet(name, slot.value, timestamp=at)
            for name, slot in past.slots.items()
            if slot.value != slot.initial_value
        ]
        if past.active_loop_name:
            state.append(ActiveLoop(past.active_loop_name, timestamp=at))
        if past.is_paused():
            state.append(ConversationPaused(timestamp=at))
        length = len(state) + 3
        start = ActionExecuted(ACTION_SESSION_START_NAME, timestamp=at, metadata={tracker_history.CARRIED: length})
        carried = [start, SessionStarted(timestamp=at), *state, ActionExecuted(ACTION_LISTEN_NAME, timestamp=at)]
        return [event.as_dict() for event in carried]


_RASA_SAVE_ERROR = FailSafeTrackerStore.on_tracker_store_error
_RASA_RETRIEVE_ERROR = FailSafeTrackerStore.on_tracker_store_retrieve_error


def _raise_for_pimms_store(self: FailSafeTrackerStore, error: Exception) -> None:
    """Rasa's fail-safe wrapper: an error of our store is raised (see the module's docstring), others logged."""
    if isinstance(getattr(self, "_tracker_store", None), PimmsTrackerStore) and not self._on_tracker_store_error:
        raise error
    _RASA_SAVE_ERROR(self, error)


def _raise_retrieve_for_pimms_store(self: FailSafeTrackerStore, error: Exception) -> None:
    if isinstance(getattr(self, "_tracker_store", None), PimmsTrackerStore) and not self._on_tracker_store_error:
        raise error
    _RASA_RETRIEVE_ERROR(self, error)


def no_silent_fallback() -> None:
    """Make Rasa's fail-safe wrapper raise our store's errors (done when Rasa imports this store)."""
    FailSafeTrackerStore.on_tracker_store_error = _raise_for_pimms_store
    FailSafeTrackerStore.on_tracker_store_retrieve_error = _raise_retrieve_for_pimms_store


no_silent_fallback()
