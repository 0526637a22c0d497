"""Mediator roles: a supervisor may take over, reassign or close any conversation.

The role is stored beside the account (a Redis set of supervisor names) and read at every request,
so removing the role or the account takes effect at once. ``require_supervisor`` guards any console
handler whose first two arguments are the request and the session.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import wraps
from typing import Any, TypeVar

import redis.asyncio as aioredis
from starlette.requests import Request
from starlette.responses import Response

from bot.console.errors import refused

SUPERVISORS_KEY = "pimms:console:supervisors"
MEDIATOR, SUPERVISOR = "mediator", "supervisor"
ROLES = (MEDIATOR, SUPERVISOR)

Handler = TypeVar("Handler", bound=Callable[..., Awaitable[Response]])


class Roles:
    """Who is a supervisor."""

    def __init__(self, redis: aioredis.Redis) -> None:
        self.redis = redis

    async def set(self, name: str, role: str) -> None:
        """Give ``name`` the role ``mediator`` or ``supervisor``."""
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}")
        if role == SUPERVISOR:
            await self.redis.sadd(SUPERVISORS_KEY, name)
        else:
            await self.redis.srem(SUPERVISORS_KEY, name)

    async def role(self, name: str) -> str:
        """``supervisor`` or ``mediator``."""
        return SUPERVISOR if await self.is_supervisor(name) else MEDIATOR

    async def is_supervisor(self, name: str) -> bool:
        """Whether ``name`` holds the supervisor role."""
        return bool(name) and bool(await self.redis.sismember(SUPERVISORS_KEY, name))

    async def forget(self, name: str) -> None:
        """Drop the role of a deleted account."""
        await self.redis.srem(SUPERVISORS_KEY, name)


async def is_supervisor(request: Request, name: str) -> bool:
    """Whether the logged-in mediator ``name`` is a supervisor (for the console's handlers and views)."""
    return await Roles(request.app.state.deps.redis).is_supervisor(name)


def require_supervisor(handler: Handler) -> Handler:
    """Refuse (403) a handler to anyone but a supervisor.

    Put it under ``page``, ``api`` or ``action``: ``@action`` then ``@require_supervisor`` then the handler.
    """

    @wraps(handler)
    async def wrapped(request: Request, session: Any, *args: Any) -> Response:
        if not await is_supervisor(request, session.name):
            return refused(request, "page réservée aux superviseurs", 403, session)
        return await handler(request, session, *args)

    return wrapped  # type: ignore[return-value]
