"""Mediator accounts (argon2 hashes in Redis), server-side sessions and CSRF tokens."""

from __future__ import annotations

import asyncio
import hmac
import json
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import redis.asyncio as aioredis
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous import BadSignature, Signer

from bot.console.roles import MEDIATOR, SUPERVISOR, Roles

ACCOUNTS_KEY = "pimms:console:mediators"
SESSION_COOKIE = "pimms_console"
SESSION_PREFIX = "pimms:console:session:"
SESSION_TTL = 12 * 3600
GENERATION_PREFIX = "pimms:console:generation:"
# Password hashing runs in threads, at most this many at once: a login flood cannot starve the event loop.
HASHING_THREADS = 2


async def end_sessions(redis: aioredis.Redis, name: str) -> None:
    """Invalidate every session (and live stream) of an account: its generation moves on."""
    await redis.incr(GENERATION_PREFIX + name)


async def generation(redis: aioredis.Redis, name: str) -> int:
    """The account's current session generation."""
    return int(await redis.get(GENERATION_PREFIX + name) or 0)


NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{1,31}$")
MIN_PASSWORD = 10


class AccountError(ValueError):
    """Invalid mediator name or password."""


@dataclass(frozen=True)
class Session:
    """A logged-in mediator."""

    id: str
    name: str
    csrf: str


class MediatorAccounts:
    """Create, check and list mediator accounts."""

    def __init__(self, redis: aioredis.Redis, hasher: PasswordHasher | None = None) -> None:
        self.redis = redis
        self.hasher = hasher or PasswordHasher()
        self._hashing = asyncio.Semaphore(HASHING_THREADS)

    async def _off_loop(self, function: Callable[..., Any], *args: str) -> Any:
        """Run argon2 in a worker thread (it takes ~50 ms of CPU and would freeze the event loop)."""
        async with self._hashing:
            return await asyncio.to_thread(function, *args)

    async def create(self, name: str, password: str, *, replace: bool = False, supervisor: bool | None = None) -> None:
        """Create (or, with ``replace``, reset the password of) an account.

        ``supervisor`` sets the role (True: supervisor, False: mediator); None keeps it (new: mediator).
        """
        if not NAME_RE.match(name):
            raise AccountError("nom invalide : 2 à 32 caractères, lettres, chiffres, . _ -")
        if len(password) < MIN_PASSWORD:
            raise AccountError(f"mot de passe trop court (au moins {MIN_PASSWORD} caractères)")
        digest = str(await self._off_loop(self.hasher.hash, password))
        if replace:
            await self.redis.hset(ACCOUNTS_KEY, name, digest)
            await end_sessions(self.redis, name)  # a new password logs every open session out
        elif not await self.redis.hsetnx(ACCOUNTS_KEY, name, digest):
            raise AccountError(f"le compte {name} existe déjà")
        if supervisor is not None or not replace:
            await Roles(self.redis).set(name, SUPERVISOR if supervisor else MEDIATOR)

    async def delete(self, name: str) -> bool:
        """Remove an account (and its role)."""
        await Roles(self.redis).forget(name)
        await end_sessions(self.redis, name)
        return bool(await self.redis.hdel(ACCOUNTS_KEY, name))

    async def names(self) -> list[str]:
        """All account names, sorted."""
        return sorted(n.decode() if isinstance(n, bytes) else n for n in await self.redis.hkeys(ACCOUNTS_KEY))

    async def verify(self, name: str, password: str) -> bool:
        """Whether the password is right (constant work even for unknown names)."""
        digest = await self.redis.hget(ACCOUNTS_KEY, name) if NAME_RE.match(name or "") else None
        try:
            if digest is None:
                await self._off_loop(self.hasher.hash, password)  # same cost as a real check: no probing by timing
                return False
            text = digest.decode() if isinstance(digest, bytes) else digest
            return bool(await self._off_loop(self.hasher.verify, text, password))
        except (VerificationError, InvalidHashError):
            return False


class Sessions:
    """Sessions in Redis; the cookie carries only a signed random id."""

    def __init__(self, redis: aioredis.Redis, secret: str) -> None:
        self.redis = redis
        self.signer = Signer(secret, salt="pimms-console-session")

    async def create(self, name: str) -> tuple[Session, str]:
        """A new session and its cookie value."""
        session = Session(secrets.token_urlsafe(24), name, secrets.token_urlsafe(24))
        data = {"name": name, "csrf": session.csrf, "generation": await generation(self.redis, name)}
        await self.redis.set(SESSION_PREFIX + session.id, json.dumps(data), ex=SESSION_TTL)
        return session, self.signer.sign(session.id).decode()

    async def load(self, cookie: str | None) -> Session | None:
        """The session behind a cookie, or None (missing, forged, expired, logged out)."""
        if not cookie:
            return None
        try:
            session_id = self.signer.unsign(cookie).decode()
        except BadSignature:
            return None
        raw = await self.redis.get(SESSION_PREFIX + session_id)
        if raw is None:
            return None
        data = json.loads(raw)
        session = Session(session_id, data["name"], data["csrf"])
        if data.get("generation", 0) != await generation(self.redis, session.name):
            await self.destroy(session)  # password changed or account deleted since the login
            return None
        return session

    async def valid(self, session: Session) -> bool:
        """Whether a loaded session still holds (checked by live streams while they run)."""
        raw = await self.redis.get(SESSION_PREFIX + session.id)
        if raw is None:
            return False
        return bool(json.loads(raw).get("generation", 0) == await generation(self.redis, session.name))

    async def destroy(self, session: Session) -> None:
        """Log out."""
        await self.redis.delete(SESSION_PREFIX + session.id)


def same_token(expected: str, given: str | None) -> bool:
    """Constant-time token comparison."""
    return bool(expected) and bool(given) and hmac.compare_digest(expected, given or "")
