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
"""

from __future__ import annotations

import itertools
import json
import logging
from typing import Any

import redis
from rasa.core.tracker_store import FailSafeTrackerStore, RedisTrackerStore
from rasa.shared.core.constants import ACTION_SESSION_START_NAME
from rasa.shared.core.trackers import DialogueStateTracker
from redis.exceptions import RedisError

from bot import redis_connect
from bot.handoff import activity

log = logging.getLogger(__name__)
HANDOFF_SLOT = "handoff_state"
SENTINEL_KEYS = ("sentinels", "sentinel_master", "sentinel_password", "wait_replicas", "wait_timeout_ms")
SOCKET_TIMEOUT = 2.0  # seconds the event loop may block on one tracker command


def stored_events(serialised: str | bytes | None) -> list[dict[str, Any]]:
    """The events of a stored tracker (none when nothing is stored)."""
    return (json.loads(serialised).get("events") or []) if serialised is not None else []


def has_earlier_sessions(events: list[dict[str, Any]]) -> bool:
    """Whether stored events hold more than one session (a session start after the first event)."""
    return any(e.get("event") == "action" and e.get("name") == ACTION_SESSION_START_NAME for e in events[1:])


def with_timeouts(client: redis.Redis, seconds: float) -> redis.Redis:
    """The same Redis client (address, credentials, TLS, decoding) with connect and read timeouts."""
    pool = client.connection_pool
    options = {**pool.connection_kwargs, "socket_timeout": seconds, "socket_connect_timeout": seconds}
    pool.disconnect()
    return redis.Redis(connection_pool=pool.__class__(connection_class=pool.connection_class, **options))


class PimmsTrackerStore(RedisTrackerStore):
    """Saves trackers like Rasa's Redis store; announces held conversations on the activity stream."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Rasa's Redis store, whose client gets connect and read timeouts (a stalled Redis cannot freeze Rasa).

        With ``sentinels`` (bot/redis_connect.py), the client follows the primary Redis Sentinel names."""
        sentinel = {name: kwargs.pop(name) for name in SENTINEL_KEYS if name in kwargs}
        super().__init__(*args, **kwargs)
        if sentinel.get("sentinels"):
            self.__dict__["red"].close()
            options = {**kwargs, **sentinel, "url": kwargs.get("host")}
            store = redis_connect.settings_of_store(options)
            self.red: redis.Redis = redis_connect.sync_client(
                store, timeout=SOCKET_TIMEOUT, connect_timeout=SOCKET_TIMEOUT, decode=True
            )
        else:
            self.red = with_timeouts(self.__dict__["red"], SOCKET_TIMEOUT)

    async def save(self, tracker: DialogueStateTracker, timeout: float | None = None) -> None:
        """Save (merging only when earlier sessions exist), then tell the console about held conversations."""
        key = self.key_prefix + tracker.sender_id
        stored = stored_events(self.red.get(key))
        # Fewer events than stored: this tracker was not read from the stored one (Rasa's fail-safe store gives a
        # fresh tracker when a read fails): merge, never overwrite the conversation with it.
        if has_earlier_sessions(stored) or len(tracker.events) < len(stored):
            await super().save(tracker, timeout)
        else:
            if self.event_broker is not None:
                new = list(itertools.islice(tracker.events, len(stored), None))
                await self._stream_new_events(self.event_broker, new, tracker.sender_id)
            self.red.set(key, self.serialise_tracker(tracker), ex=timeout or self.record_exp)
        if activity.is_held(tracker.is_paused(), tracker.get_slot(HANDOFF_SLOT)):
            try:
                activity.announce(self.red, tracker.sender_id)
            except RedisError as exc:  # the turn is saved; the console catches up when it restarts
                log.warning("held conversation not announced to the console: %s", type(exc).__name__)


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
