"""Rasa's Redis tracker store, plus one announcement per save of a held conversation (no polling needed).

endpoints.yml selects it with ``tracker_store: type: stores.tracker_store.PimmsTrackerStore`` and the same
keys as Rasa's ``redis`` type (url, port, db, password, key_prefix, record_exp).
"""

from __future__ import annotations

import logging

from rasa.core.tracker_store import RedisTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker
from redis.exceptions import RedisError

from bot.handoff import activity

log = logging.getLogger(__name__)
HANDOFF_SLOT = "handoff_state"


class PimmsTrackerStore(RedisTrackerStore):
    """Saves trackers like Rasa's Redis store; announces held conversations on the activity stream."""

    async def save(self, tracker: DialogueStateTracker, timeout: float | None = None) -> None:
        """Save, then tell the mediators' console when the conversation is held."""
        await super().save(tracker, timeout)
        if activity.is_held(tracker.is_paused(), tracker.get_slot(HANDOFF_SLOT)):
            try:
                activity.announce(self.red, tracker.sender_id)
            except RedisError as exc:  # the turn is saved; the console catches up when it restarts
                log.warning("held conversation not announced to the console: %s", type(exc).__name__)
