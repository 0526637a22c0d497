"""Rasa event broker that counts knowledge-base answers in the pseudonymised activity log (Redis).

Configured in endpoints.yml (``event_broker: type: channels.activity_broker.ActivityEventBroker``). Rasa calls
``publish`` synchronously inside its event loop for every new tracker event; the write is scheduled on the
loop so a slow Redis never delays an answer.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from rasa.core.brokers.broker import EventBroker
from rasa.utils.endpoints import EndpointConfig

from bot import redis_connect
from bot.activity.log import ActivityLog
from bot.activity.rasa_events import activity_of
from bot.settings import Settings

log = logging.getLogger(__name__)


class ActivityEventBroker(EventBroker):
    """Records the events ``bot.activity.rasa_events`` selects; ignores the others."""

    def __init__(self, activity: ActivityLog) -> None:
        self.activity = activity
        self._pending: set[asyncio.Task[Any]] = set()

    @classmethod
    async def from_endpoint_config(
        cls, broker_config: EndpointConfig, event_loop: asyncio.AbstractEventLoop | None = None
    ) -> ActivityEventBroker:
        """Built from the settings the generated endpoints file gives it (``bot.endpoints_config``)."""
        settings = Settings.from_dict(broker_config.kwargs.get("settings") or {})
        client = redis_connect.client(settings)
        return cls(ActivityLog(client, retention_days=settings.activity_retention_days))

    def publish(self, event: dict[str, Any]) -> None:
        """Schedule the recording of one event (called by Rasa's tracker store)."""
        found = activity_of(event)
        sender_id = str(event.get("sender_id") or "")
        if found is None or not sender_id:
            return
        kind, fields = found
        at = float(event.get("timestamp") or 0) or None
        try:
            task = asyncio.get_running_loop().create_task(self.activity.record(kind, sender_id, at=at, **fields))
        except RuntimeError:  # no running loop (Rasa's CLI tools): nothing to count
            return
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def close(self) -> None:
        """Let the last writes finish, then close Redis."""
        if self._pending:
            await asyncio.wait(set(self._pending), timeout=3)
        await self.activity.redis.close()
