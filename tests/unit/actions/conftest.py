"""Fixtures of the action tests."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from actions import deps
from bot.booking.service import BookingService
from tests.unit.bot.booking.helpers import make_service


@pytest.fixture
async def service(redis_url: str) -> AsyncIterator[BookingService]:
    """The actions' booking service over real Redis (fixed clock, fixture sites)."""
    svc, client = make_service(redis_url)
    deps.get_booking_service.override(svc)
    yield svc
    deps.reset()
    await client.close()
