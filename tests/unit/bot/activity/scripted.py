"""A scripted week driven through the features' own code paths, on an injected clock and real Redis."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import redis.asyncio as aioredis
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import deps
from bot.activity.log import ActivityLog
from bot.booking.agenda import Agenda
from bot.booking.motives import load_motives
from bot.booking.overrides import DayOverrides
from bot.booking.service import BookingService
from bot.booking.store import BookingStore
from bot.handoff.store import HandoffStore
from bot.outbound.delivery import DeliveryResult
from bot.sites import load_sites
from tests.sites import SITES_FILE
from tests.trackers import make_tracker

PARIS = ZoneInfo("Europe/Paris")
PROJECT_SITES = SITES_FILE
DOMAIN: dict[str, Any] = {"session_config": {"carry_over_slots_to_new_session": True}}


class Clock:
    """A settable clock (aware Europe/Paris datetimes and epoch seconds)."""

    def __init__(self, start: datetime) -> None:
        self.moment = start

    def set(self, *args: int) -> None:
        """Jump to a Paris wall-clock time."""
        self.moment = datetime(*args, tzinfo=PARIS)

    def advance(self, **delta: float) -> None:
        """Move forward."""
        self.moment += timedelta(**delta)

    def now(self) -> datetime:
        """Aware now."""
        return self.moment

    def ts(self) -> float:
        """Epoch seconds."""
        return self.moment.timestamp()


def tracker(sender_id: str, events: list[dict[str, Any]], slots: dict[str, Any] | None = None) -> Tracker:
    """A rasa_sdk tracker whose latest message is the last user event."""
    return make_tracker(events, slots, sender_id)


async def run_action(action: Any, trk: Tracker) -> list[str]:
    """Run an action; the texts it said."""
    dispatcher = CollectingDispatcher()
    await action.run(dispatcher, trk, DOMAIN)
    return [m.get("text") or m.get("response") for m in dispatcher.messages]


@dataclass
class World:
    """Everything the scripted features share."""

    clock: Clock
    redis: aioredis.Redis
    activity: ActivityLog
    handoffs: HandoffStore
    bookings: BookingService
    agenda: Agenda


class Outbox:
    """Records what residents would receive (the phone network is the only part not real here)."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    async def send(self, sender_id: str, text: str, buttons: list[dict[str, Any]] | None = None) -> bool:
        self.sent.append((sender_id, text))
        return True

    async def deliver(
        self,
        sender_id: str,
        text: str,
        buttons: list[dict[str, Any]] | None = None,
        *,
        delivery_id: str = "",
        human: bool = False,
    ) -> DeliveryResult:
        self.sent.append((sender_id, text))
        return DeliveryResult.sent([f"SM{len(self.sent)}"])

    async def early_reports(self, sender_id: str, provider_ids: Sequence[str]) -> list[Any]:
        return []  # no provider here, so no report


def make_world(redis_url: str, clock: Clock, monkeypatch: pytest.MonkeyPatch, outbox: Outbox) -> World:
    """The action server's dependencies on the injected clock, plus booking and agenda services."""
    monkeypatch.setenv("REDIS_URL", redis_url)
    monkeypatch.setenv("PSEUDONYM_KEY", "5e" * 32)  # the pseudonyms' key, never in Redis
    for name in ("TELEGRAM_BOT_TOKEN", "TELEGRAM_MEDIATOR_CHAT_ID"):
        monkeypatch.delenv(name, raising=False)
    deps.reset()
    client = aioredis.Redis.from_url(redis_url)
    activity = ActivityLog(client, clock=clock.ts)
    handoffs = HandoffStore(client, clock=clock.ts)
    monkeypatch.setattr(deps, "get_activity", lambda: activity)
    deps.get_handoff_store.override(handoffs)
    sites, catalog = load_sites(PROJECT_SITES), load_motives()
    overrides = DayOverrides(client, sites.tz)
    service = BookingService(
        sites=sites,
        catalog=catalog,
        store=BookingStore(client, catalog.rules.granularity_minutes),
        now=clock.now,
        activity=activity,
        overrides=overrides,
    )
    return World(clock, client, activity, handoffs, service, Agenda(service, overrides, outbox))
