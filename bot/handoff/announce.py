"""A new or newly urgent hand-off: save its triage summary, count it, and alert the mediators' group.

Called by the hand-off actions (a resident joins the queue) and by the waiting gate (a danger message while
the conversation is paused raises it to urgent). Never raises: the resident's answer comes first, and the
console shows the queue whatever happens here.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import redis.asyncio as aioredis

from bot.activity import log as kinds
from bot.activity.log import ActivityLog
from bot.handoff.alerts import MediatorAlerts
from bot.handoff.links import link_token
from bot.handoff.models import Handoff
from bot.handoff.store import RECORD_TTL
from bot.handoff.triage import Triage, load_triage, preview, save_triage

log = logging.getLogger(__name__)


@dataclass
class Announcer:
    """Everything an announcement needs (alerts are None when no mediators' group is configured)."""

    redis: aioredis.Redis
    activity: ActivityLog | None
    alerts: MediatorAlerts | None
    ttl: int = RECORD_TTL  # the hand-off record's lifetime (RETENTION_DAYS)

    async def new_request(self, record: Handoff, triage: Triage, now: float) -> None:
        """A resident joined the queue."""
        try:
            await save_triage(self.redis, record.sender_id, triage, self.ttl)
            if self.activity is not None:
                await self.activity.record(
                    kinds.HANDOFF,
                    record.sender_id,
                    reason=record.reason.value,
                    urgent=record.urgent,
                    danger=triage.danger,
                    site=triage.site,
                )
            await self._alert(record, triage, now)
        except Exception as exc:
            log.warning("hand-off announcement failed: %s", type(exc).__name__)

    async def danger(self, sender_id: str, kind: str, site: str = "") -> None:
        """A danger message got the emergency numbers (counted for the report)."""
        if self.activity is not None:
            await self.activity.record(kinds.DANGER, sender_id, danger=kind or "unsure", site=site)

    async def danger_preview(self, sender_id: str, danger: str, message: str) -> None:
        """A danger message while paused becomes the queue's preview (saved before the queue hears of it, so the
        console shows the danger message, not the first one, as soon as the row turns urgent)."""
        try:
            triage = await load_triage(self.redis, sender_id)
            triage.danger, triage.preview = danger or triage.danger, preview(message)
            await save_triage(self.redis, sender_id, triage, self.ttl)
        except Exception as exc:
            log.warning("danger preview not saved: %s", type(exc).__name__)

    async def escalated(self, record: Handoff, danger: str, now: float) -> None:
        """A held conversation became urgent (danger): the group hears it again, marked urgent."""
        try:
            triage = await load_triage(self.redis, record.sender_id)
            triage.danger = danger or triage.danger
            await save_triage(self.redis, record.sender_id, triage, self.ttl)
            await self._alert(record, triage, now)
        except Exception as exc:
            log.warning("urgent hand-off announcement failed: %s", type(exc).__name__)

    async def _alert(self, record: Handoff, triage: Triage, now: float) -> None:
        if self.alerts is not None:
            await self.alerts.notify(record, triage, await link_token(self.redis, record.sender_id, self.ttl), now)
