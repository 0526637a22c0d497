"""Redis booking store: atomic booking/moving with Lua (capacity, per-user limit), lookups, cancellation."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import redis.asyncio as aioredis

from bot import redis_connect
from bot.booking.calendar import Slot, cell_keys
from bot.booking.models import (
    ACTIVE,
    CANCELLED,
    Booking,
    BookingNotFound,
    SlotFull,
    TooManyBookings,
    new_reference,
)

PREFIX = "pimms:booking"
RETENTION = timedelta(days=90)

_BOOK = """
local p = cjson.decode(ARGV[1])
if redis.call('EXISTS', KEYS[1]) == 1 then return 'DUPLICATE_REF' end
local has_old = p.old ~= nil and p.old ~= cjson.null
if has_old then
  if redis.call('HGET', KEYS[5], 'status') ~= 'active' or redis.call('HGET', KEYS[5], 'user') ~= p.user then
    return 'NOT_FOUND'
  end
end
local active = 0
for _, r in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  local k = p.ref_prefix .. r
  local st = redis.call('HGET', k, 'status')
  local ts = tonumber(redis.call('HGET', k, 'start_ts') or '0')
  if st ~= 'active' or ts < p.now then
    redis.call('SREM', KEYS[2], r)
  elseif not (has_old and r == p.old.ref) then
    active = active + 1
  end
end
if active >= p.limit then return 'LIMIT' end
for _, c in ipairs(p.cells) do
  local n = tonumber(redis.call('HGET', KEYS[3], c) or '0')
  if has_old and KEYS[6] == KEYS[3] then
    for _, oc in ipairs(p.old.cells) do if oc == c then n = n - 1 end end
  end
  if n >= p.capacity then return 'FULL' end
end
if has_old then
  for _, c in ipairs(p.old.cells) do redis.call('HINCRBY', KEYS[6], c, -1) end
  redis.call('ZREM', KEYS[7], p.old.ref)
  redis.call('SREM', KEYS[2], p.old.ref)
  redis.call('HSET', KEYS[5], 'status', 'moved', 'replaced_by', p.fields.ref)
end
for _, c in ipairs(p.cells) do redis.call('HINCRBY', KEYS[3], c, 1) end
redis.call('EXPIRE', KEYS[3], p.ttl)
redis.call('ZADD', KEYS[4], p.start_ts, p.fields.ref)
redis.call('EXPIRE', KEYS[4], p.ttl)
redis.call('SADD', KEYS[2], p.fields.ref)
if redis.call('TTL', KEYS[2]) < p.ttl then redis.call('EXPIRE', KEYS[2], p.ttl) end
for k, v in pairs(p.fields) do redis.call('HSET', KEYS[1], k, v) end
redis.call('EXPIRE', KEYS[1], p.ttl)
return 'OK'
"""

_CANCEL = """
local p = cjson.decode(ARGV[1])
if redis.call('HGET', KEYS[1], 'status') ~= 'active' or redis.call('HGET', KEYS[1], 'user') ~= p.user then
  return 'NOT_FOUND'
end
for _, c in ipairs(p.cells) do redis.call('HINCRBY', KEYS[3], c, -1) end
redis.call('ZREM', KEYS[4], p.ref)
redis.call('SREM', KEYS[2], p.ref)
redis.call('HSET', KEYS[1], 'status', 'cancelled')
return 'OK'
"""


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


class BookingStore:
    """Bookings in Redis under ``pimms:booking:``; all writes are single Lua scripts (atomic)."""

    def __init__(self, client: aioredis.Redis, granularity_minutes: int = 30, retention: timedelta = RETENTION) -> None:
        self._redis = client
        self._granularity = granularity_minutes
        self._retention = retention

    @staticmethod
    def ref_key(ref: str) -> str:
        """Hash holding one booking."""
        return f"{PREFIX}:ref:{ref}"

    @staticmethod
    def user_key(user: str) -> str:
        """Set of a user's active references (expires with the last booking's retention)."""
        return f"{PREFIX}:user:{user}"

    @staticmethod
    def load_key(site_id: str, day: date) -> str:
        """Hash ``HH:MM`` cell -> number of booked counters."""
        return f"{PREFIX}:load:{site_id}:{day.isoformat()}"

    @staticmethod
    def day_key(site_id: str, day: date) -> str:
        """Sorted set of a day's references by start time."""
        return f"{PREFIX}:day:{site_id}:{day.isoformat()}"

    def _cells(self, booking: Booking) -> list[str]:
        return cell_keys(Slot(booking.site_id, booking.start, booking.end), self._granularity)

    def _keys(self, booking: Booking) -> list[str]:
        day = booking.start.date()
        return [
            self.ref_key(booking.ref),
            self.user_key(booking.user),
            self.load_key(booking.site_id, day),
            self.day_key(booking.site_id, day),
        ]

    async def book(
        self, booking: Booking, capacity: int, limit: int, now: datetime, replace: Booking | None = None
    ) -> Booking:
        """Store a booking atomically (a fresh reference is drawn); with ``replace``, move it atomically.

        Raises SlotFull, TooManyBookings or BookingNotFound (``replace`` no longer active).
        """
        for _ in range(10):
            candidate = booking.with_ref(new_reference())
            payload = {
                "capacity": capacity,
                "limit": limit,
                "now": int(now.timestamp()),
                "user": booking.user,
                "ref_prefix": f"{PREFIX}:ref:",
                "cells": self._cells(candidate),
                "start_ts": int(candidate.start.timestamp()),
                # relative to the injected clock (not Redis's): kept past the appointment's end
                "ttl": max(1, int((candidate.end + self._retention - now).total_seconds())),
                "fields": candidate.to_fields(),
                "old": {"ref": replace.ref, "cells": self._cells(replace)} if replace else None,
            }
            old_keys = self._keys(replace) if replace else []
            keys = self._keys(candidate) + old_keys[0:1] + old_keys[2:]
            result = _text(await self._redis.eval(_BOOK, len(keys), *keys, json.dumps(payload)))
            if result == "OK":
                await redis_connect.replicated(self._redis, "booking")
                return candidate
            if result == "FULL":
                raise SlotFull(candidate.start.isoformat())
            if result == "LIMIT":
                raise TooManyBookings(booking.user)
            if result == "NOT_FOUND":
                raise BookingNotFound(replace.ref if replace else "")
        raise RuntimeError("could not draw a unique booking reference")

    async def cancel(self, ref: str, user: str) -> Booking:
        """Cancel an active booking of this user and free its slot; raises BookingNotFound."""
        booking = await self.get(ref)
        if booking is None or booking.user != user or not booking.active:
            raise BookingNotFound(ref)
        payload = {"ref": ref, "user": user, "cells": self._cells(booking)}
        keys = self._keys(booking)
        if _text(await self._redis.eval(_CANCEL, len(keys), *keys, json.dumps(payload))) != "OK":
            raise BookingNotFound(ref)
        await redis_connect.replicated(self._redis, "cancellation")
        return Booking(**{**booking.__dict__, "status": CANCELLED})

    async def get(self, ref: str) -> Booking | None:
        """A booking by reference (any status), or None."""
        raw = await self._redis.hgetall(self.ref_key(ref))
        if not raw:
            return None
        return Booking.from_fields({_text(k): _text(v) for k, v in raw.items()})

    async def for_user(self, user: str, now: datetime) -> list[Booking]:
        """The user's active bookings that have not started yet, soonest first."""
        refs = sorted(_text(r) for r in await self._redis.smembers(self.user_key(user)))
        found = [await self.get(ref) for ref in refs]
        upcoming = [b for b in found if b and b.active and b.user == user and b.start > now]
        return sorted(upcoming, key=lambda b: b.start)

    async def day_load(self, site_id: str, day: date) -> dict[str, int]:
        """Booked counters per ``HH:MM`` cell on a day."""
        raw = await self._redis.hgetall(self.load_key(site_id, day))
        return {_text(k): int(v) for k, v in raw.items()}

    async def on_day(self, site_id: str, day: date) -> list[Booking]:
        """Active bookings of a site on a day, by start time."""
        refs = [_text(r) for r in await self._redis.zrange(self.day_key(site_id, day), 0, -1)]
        found = [await self.get(ref) for ref in refs]
        return [b for b in found if b and b.status == ACTIVE]

    async def all_for_user(self, user: str) -> list[Booking]:
        """Every booking still stored for this user (any status, past included), oldest first.

        Cancelled, moved and past bookings leave the user's index, so this scans the reference hashes.
        """
        found = []
        async for key in self._redis.scan_iter(match=f"{PREFIX}:ref:*", count=500):
            if _text(await self._redis.hget(key, "user") or b"") == user:
                booking = await self.get(_text(key).rsplit(":", 1)[1])
                if booking is not None:
                    found.append(booking)
        return sorted(found, key=lambda b: b.start)

    async def forget(self, booking: Booking) -> None:
        """Delete a booking's record and its day-index entry (after cancellation, or once past)."""
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.delete(self.ref_key(booking.ref))
            pipe.zrem(self.day_key(booking.site_id, booking.start.date()), booking.ref)
            pipe.srem(self.user_key(booking.user), booking.ref)
            await pipe.execute()

    async def days_with_bookings(self, site_id: str) -> list[date]:
        """Days that hold at least one booking index for a site."""
        days = set()
        async for key in self._redis.scan_iter(match=f"{PREFIX}:day:{site_id}:*", count=200):
            days.add(date.fromisoformat(_text(key).rsplit(":", 1)[1]))
        return sorted(days)
