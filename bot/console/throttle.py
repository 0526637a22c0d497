"""Login throttling in Redis: failed attempts counted per account and per address, with expiry.

A blocked login is refused before any password hashing, so a flood costs the console almost nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

import redis.asyncio as aioredis

PREFIX = "pimms:console:throttle:"
WINDOW_SECONDS = 15 * 60
MAX_PER_ACCOUNT = 5
MAX_PER_ADDRESS = 20


@dataclass(frozen=True)
class Verdict:
    """Whether a login may be tried, and for how long it stays blocked."""

    allowed: bool
    retry_after: int = 0


class LoginThrottle:
    """Counts failures for ``WINDOW_SECONDS`` after the first one; blocks at the limits."""

    def __init__(
        self,
        redis: aioredis.Redis,
        per_account: int = MAX_PER_ACCOUNT,
        per_address: int = MAX_PER_ADDRESS,
        window: int = WINDOW_SECONDS,
    ) -> None:
        self.redis = redis
        self.per_account = per_account
        self.per_address = per_address
        self.window = window

    @staticmethod
    def _keys(name: str, address: str) -> tuple[str, str]:
        return f"{PREFIX}account:{name.lower()[:64]}", f"{PREFIX}address:{address[:64]}"

    async def check(self, name: str, address: str) -> Verdict:
        """Whether this account and this address may try a password now."""
        account_key, address_key = self._keys(name, address)
        for key, limit in ((account_key, self.per_account), (address_key, self.per_address)):
            count = int(await self.redis.get(key) or 0)
            if count >= limit:
                ttl = int(await self.redis.ttl(key))
                return Verdict(False, max(ttl, 1))
        return Verdict(True)

    async def failed(self, name: str, address: str) -> None:
        """Record one failure for both counters (the window starts at the first failure)."""
        async with self.redis.pipeline(transaction=True) as pipe:
            for key in self._keys(name, address):
                pipe.set(key, 0, ex=self.window, nx=True)  # EXPIRE NX needs Redis 7; this works on 6
                pipe.incr(key)
            await pipe.execute()

    async def succeeded(self, name: str) -> None:
        """A right password clears the account's counter (not the address's)."""
        await self.redis.delete(self._keys(name, "")[0])
