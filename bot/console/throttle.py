"""Login throttling in Redis: an attempt is reserved atomically before the password is checked.

Three counters, each expiring:

- per (account, address): the first ``FREE_ATTEMPTS`` failures cost nothing, then each further attempt from that
  address on that account must wait a delay that doubles (``BASE_DELAY`` up to ``MAX_DELAY``). No hard lock: the
  mediator, from another address, is not kept out by someone guessing elsewhere;
- per address, across accounts (``MAX_PER_ADDRESS`` per window): one address cannot sweep the names;
- per account, across addresses (``MAX_PER_ACCOUNT`` per window), against guessing from many addresses. A device
  that logged in to this account before (its signed cookie, ``bot.console.devices``) is exempt from this one, so
  an outsider rotating addresses cannot lock a mediator out of the usual device.

``reserve`` checks and counts in one Lua script: N parallel wrong guesses cannot get past the limits, since each
one is counted before any password hashing (a refused attempt costs no hashing at all). A right password gives
its reservation back (``succeeded``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import redis.asyncio as aioredis

from bot.clock import Clock, system_clock

PREFIX = "pimms:console:throttle:"
WINDOW_SECONDS = 15 * 60
PAIR_WINDOW_SECONDS = 24 * 3600
FREE_ATTEMPTS = 3
BASE_DELAY = 2.0
MAX_DELAY = 15 * 60.0
MAX_PER_ADDRESS = 20
MAX_PER_ACCOUNT = 30

# KEYS: pair, address, account. ARGV: now, window, pair window, free, base delay, max delay, per address,
# per account, check account (1/0). Returns {allowed, retry after (s)}.
_RESERVE = """
local now = tonumber(ARGV[1])
local next_at = tonumber(redis.call('HGET', KEYS[1], 'next') or '0')
if now < next_at then return {0, math.ceil(next_at - now)} end
local address = tonumber(redis.call('GET', KEYS[2]) or '0')
if address >= tonumber(ARGV[7]) then return {0, math.max(redis.call('TTL', KEYS[2]), 1)} end
if ARGV[9] == '1' then
  local account = tonumber(redis.call('GET', KEYS[3]) or '0')
  if account >= tonumber(ARGV[8]) then return {0, math.max(redis.call('TTL', KEYS[3]), 1)} end
end
local n = redis.call('HINCRBY', KEYS[1], 'n', 1)
local delay = 0
if n >= tonumber(ARGV[4]) then
  delay = math.min(tonumber(ARGV[5]) * 2 ^ (n - tonumber(ARGV[4])), tonumber(ARGV[6]))
end
redis.call('HSET', KEYS[1], 'next', tostring(now + delay))
redis.call('EXPIRE', KEYS[1], ARGV[3])
for i = 2, 3 do
  if redis.call('INCR', KEYS[i]) == 1 or redis.call('TTL', KEYS[i]) < 0 then redis.call('EXPIRE', KEYS[i], ARGV[2]) end
end
return {1, 0}
"""

# KEYS: pair, address, account. A right password: the delay is cleared and both counters get the attempt back
# (never below zero, never re-creating an expired counter without its expiry).
_RELEASE = """
redis.call('DEL', KEYS[1])
for i = 2, 3 do
  if tonumber(redis.call('GET', KEYS[i]) or '0') > 1 then
    redis.call('DECR', KEYS[i])
  else
    redis.call('DEL', KEYS[i])
  end
end
return 1
"""


@dataclass(frozen=True)
class Verdict:
    """Whether a login may be tried, and in how many seconds it may be tried again."""

    allowed: bool
    retry_after: int = 0


class LoginThrottle:
    """Reserve an attempt before checking a password; give it back when the password was right."""

    def __init__(
        self,
        redis: aioredis.Redis,
        clock: Clock | None = None,
        *,
        free: int = FREE_ATTEMPTS,
        base_delay: float = BASE_DELAY,
        max_delay: float = MAX_DELAY,
        per_address: int = MAX_PER_ADDRESS,
        per_account: int = MAX_PER_ACCOUNT,
        window: int = WINDOW_SECONDS,
    ) -> None:
        self.redis = redis
        self.clock = clock or system_clock()
        self.free, self.base_delay, self.max_delay = free, base_delay, max_delay
        self.per_address, self.per_account, self.window = per_address, per_account, window
        self._reserve = redis.register_script(_RESERVE)
        self._release = redis.register_script(_RELEASE)

    @staticmethod
    def keys(name: str, address: str) -> tuple[str, str, str]:
        """The (account, address), address and account counters."""
        account, where = name.lower()[:64], address[:64]
        return f"{PREFIX}pair:{account}:{where}", f"{PREFIX}address:{where}", f"{PREFIX}account:{account}"

    async def reserve(self, name: str, address: str, *, known_device: bool = False) -> Verdict:
        """Count one attempt now, or refuse it (with the wait) when a limit is reached."""
        now = self.clock().timestamp()
        args = [
            repr(now),
            self.window,
            PAIR_WINDOW_SECONDS,
            self.free,
            self.base_delay,
            self.max_delay,
            self.per_address,
            self.per_account,
            0 if known_device else 1,
        ]
        allowed, retry_after = await self._reserve(keys=list(self.keys(name, address)), args=args)
        return Verdict(bool(allowed), max(0, math.ceil(float(retry_after))))

    async def succeeded(self, name: str, address: str) -> None:
        """A right password: its reservation is given back and the (account, address) delay cleared."""
        await self._release(keys=list(self.keys(name, address)))
