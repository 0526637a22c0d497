"""bot/wiring.py builds each service one way: configured retention, one time zone, sites read once."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from pathlib import Path

import pytest
import redis.asyncio as aioredis

from actions import deps
from bot import wiring
from bot.clock import fixed_clock
from bot.settings import Settings
from tests.sites import SITES_FILE

MOMENT = datetime.fromisoformat("2026-12-09T10:00:00+01:00")


@pytest.fixture
def settings(redis_url: str) -> Settings:
    return Settings(redis_url=redis_url, sites_file=SITES_FILE, activity_retention_days=30, booking_retention_days=7)


@pytest.fixture
async def client(settings: Settings) -> AsyncIterator[aioredis.Redis]:
    redis = wiring.redis_client(settings, timeout=5)
    yield redis
    await redis.close()


@pytest.fixture
def fresh_deps() -> Iterator[None]:
    deps.reset()
    yield
    deps.reset()


@pytest.mark.usefixtures("fresh_deps")
async def test_the_actions_booking_events_keep_the_configured_retention(
    settings: Settings, client: aioredis.Redis
) -> None:
    deps.get_settings.override(settings)
    deps.get_redis.override(client)
    deps.get_clock.override(fixed_clock(MOMENT))
    service = deps.get_booking_service()
    assert service.activity is not None and service.activity.retention_days == 30
    assert deps.get_activity().retention_days == 30
    assert service.activity.clock() == MOMENT.timestamp()  # the actions' clock, not the wall clock


async def test_the_booking_service_is_whole_and_the_eraser_writes_no_activity(
    settings: Settings, client: aioredis.Redis
) -> None:
    service = wiring.booking_service(settings, client, fixed_clock(MOMENT))
    assert service.reminders is not None and service.overrides is not None and service.activity is not None
    assert service.store._retention.days == 7
    assert wiring.booking_service(settings, client, reminders=False).reminders is None
    eraser = wiring.eraser(settings, client, fixed_clock(MOMENT))
    assert eraser.bookings.activity is None  # nothing about an erased resident is counted again
    assert eraser.bookings.reminders is not None  # its cancellations unschedule the reminders


async def test_every_service_uses_the_sites_time_zone(settings: Settings, client: aioredis.Redis) -> None:
    tz = wiring.sites(settings).tz
    assert wiring.activity_log(settings, client).tz == tz
    assert wiring.handoff_service(settings, client, router=None, rasa=None).tz == tz  # type: ignore[arg-type]
    assert wiring.waiting_gate(settings, client, router=None).tz == tz  # type: ignore[arg-type]
    assert wiring.clock(settings)().tzinfo == tz


def test_sites_are_read_once_per_version_of_the_file(tmp_path: Path) -> None:
    path = tmp_path / "sites.yml"
    shutil.copy(SITES_FILE, path)
    settings = Settings(sites_file=path)
    first = wiring.sites(settings)
    assert wiring.sites(settings) is first
    path.write_text(path.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert wiring.sites(settings) is not first
