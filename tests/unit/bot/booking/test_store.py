"""Redis booking store contract: atomic booking, capacity, per-user limit, cancel, move, references."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, timedelta

import pytest
import redis.asyncio as aioredis

from bot.booking.models import (
    REFERENCE_ALPHABET,
    Booking,
    BookingNotFound,
    SlotFull,
    TooManyBookings,
    new_reference,
)
from bot.booking.store import BookingStore

from .conftest import paris

NOW = paris(2026, 11, 27, 8, 0)


def booking(
    user: str = "sms-33600000001", start: datetime | None = None, minutes: int = 30, site: str = "s1"
) -> Booking:
    begin = start or paris(2026, 12, 1, 9, 0)
    return Booking(
        ref="",
        user=user,
        site_id=site,
        motive_id="caf",
        start=begin,
        end=begin + timedelta(minutes=minutes),
        channel="sms",
        created_at=NOW,
    )


@pytest.fixture
def store(client: aioredis.Redis) -> BookingStore:
    return BookingStore(client)


def test_references_are_short_and_readable() -> None:
    refs = {new_reference() for _ in range(500)}
    assert len(refs) == 500
    assert all(len(r) == 6 and set(r) <= set(REFERENCE_ALPHABET) for r in refs)
    assert not set("0O1IL") & set(REFERENCE_ALPHABET)


async def test_book_get_and_list(store: BookingStore, client: aioredis.Redis) -> None:
    stored = await store.book(booking(), capacity=1, limit=2, now=NOW)
    assert len(stored.ref) == 6
    assert await store.get(stored.ref) == stored
    assert await store.for_user("sms-33600000001", NOW) == [stored]
    assert await store.for_user("sms-33600000002", NOW) == []
    assert await store.on_day("s1", date(2026, 12, 1)) == [stored]
    assert await store.day_load("s1", date(2026, 12, 1)) == {"09:00": 1}
    assert all(k.startswith(b"pimms:booking:") for k in await client.keys("*"))
    assert await client.ttl(BookingStore.ref_key(stored.ref)) > 0


async def test_capacity_is_respected(store: BookingStore) -> None:
    await store.book(booking("u1"), capacity=2, limit=2, now=NOW)
    await store.book(booking("u2"), capacity=2, limit=2, now=NOW)
    with pytest.raises(SlotFull):
        await store.book(booking("u3"), capacity=2, limit=2, now=NOW)


async def test_overlapping_durations_share_capacity(store: BookingStore) -> None:
    await store.book(booking("u1", paris(2026, 12, 1, 9, 30)), capacity=1, limit=2, now=NOW)
    with pytest.raises(SlotFull):
        await store.book(booking("u2", paris(2026, 12, 1, 9, 0), minutes=60), capacity=1, limit=2, now=NOW)
    await store.book(booking("u2", paris(2026, 12, 1, 10, 0), minutes=60), capacity=1, limit=2, now=NOW)


async def test_per_user_limit_counts_only_upcoming_active(store: BookingStore) -> None:
    first = await store.book(booking("u1", paris(2026, 12, 1, 9, 0)), capacity=1, limit=2, now=NOW)
    await store.book(booking("u1", paris(2026, 12, 2, 9, 0)), capacity=1, limit=2, now=NOW)
    with pytest.raises(TooManyBookings):
        await store.book(booking("u1", paris(2026, 12, 3, 9, 0)), capacity=1, limit=2, now=NOW)
    await store.cancel(first.ref, "u1")
    await store.book(booking("u1", paris(2026, 12, 3, 9, 0)), capacity=1, limit=2, now=NOW)
    later = paris(2026, 12, 2, 12, 0)  # both earlier appointments are now past
    await store.book(booking("u1", paris(2026, 12, 4, 9, 0)), capacity=1, limit=2, now=later)


async def test_cancel_frees_the_slot_and_checks_the_owner(store: BookingStore) -> None:
    stored = await store.book(booking("u1"), capacity=1, limit=2, now=NOW)
    with pytest.raises(BookingNotFound):
        await store.cancel(stored.ref, "someone-else")
    cancelled = await store.cancel(stored.ref, "u1")
    assert cancelled.status == "cancelled"
    assert (await store.get(stored.ref)).status == "cancelled"
    assert await store.day_load("s1", date(2026, 12, 1)) == {"09:00": 0}
    assert await store.for_user("u1", NOW) == []
    with pytest.raises(BookingNotFound):
        await store.cancel(stored.ref, "u1")
    await store.book(booking("u2"), capacity=1, limit=2, now=NOW)


async def test_move_is_book_new_and_cancel_old(store: BookingStore) -> None:
    old = await store.book(booking("u1"), capacity=1, limit=1, now=NOW)
    blocker = await store.book(booking("u2", paris(2026, 12, 2, 9, 0)), capacity=1, limit=1, now=NOW)
    with pytest.raises(SlotFull):
        await store.book(booking("u1", blocker.start), capacity=1, limit=1, now=NOW, replace=old)
    assert (await store.get(old.ref)).active  # a failed move keeps the old booking
    new = await store.book(booking("u1", paris(2026, 12, 3, 9, 0)), capacity=1, limit=1, now=NOW, replace=old)
    assert (await store.get(old.ref)).status == "moved"
    assert await store.for_user("u1", NOW) == [new]
    assert await store.day_load("s1", date(2026, 12, 1)) == {"09:00": 0}
    with pytest.raises(BookingNotFound):
        await store.book(booking("u1", paris(2026, 12, 4, 9, 0)), capacity=1, limit=1, now=NOW, replace=old)


async def test_move_within_its_own_slot_cells(store: BookingStore) -> None:
    old = await store.book(booking("u1", paris(2026, 12, 1, 9, 0), minutes=60), capacity=1, limit=2, now=NOW)
    new = await store.book(
        booking("u1", paris(2026, 12, 1, 9, 30), minutes=60), capacity=1, limit=2, now=NOW, replace=old
    )
    assert await store.day_load("s1", date(2026, 12, 1)) == {"09:00": 0, "09:30": 1, "10:00": 1}
    assert new.active


async def test_fifty_simultaneous_attempts_exactly_one_wins(redis_url: str) -> None:
    clients = [aioredis.Redis.from_url(redis_url) for _ in range(50)]
    try:
        attempts = [
            BookingStore(c).book(booking(f"user-{i}"), capacity=1, limit=2, now=NOW) for i, c in enumerate(clients)
        ]
        results = await asyncio.gather(*attempts, return_exceptions=True)
    finally:
        await asyncio.gather(*(c.close() for c in clients))
    winners = [r for r in results if isinstance(r, Booking)]
    assert len(winners) == 1
    assert all(isinstance(r, SlotFull) for r in results if not isinstance(r, Booking))
    check = aioredis.Redis.from_url(redis_url)
    assert await BookingStore(check).day_load("s1", date(2026, 12, 1)) == {"09:00": 1}
    await check.close()


async def test_bookings_persist_across_clients(redis_url: str) -> None:
    first = aioredis.Redis.from_url(redis_url)
    stored = await BookingStore(first).book(booking(), capacity=1, limit=2, now=NOW)
    await first.close()
    second = aioredis.Redis.from_url(redis_url)
    assert await BookingStore(second).get(stored.ref) == stored
    assert await BookingStore(second).days_with_bookings("s1") == [date(2026, 12, 1)]
    await second.close()
