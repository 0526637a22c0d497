"""Bounded retries of one provider call: Twilio 5xx / 429, network errors, Telegram 429 (retry_after) / 5xx."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff: ``base * 2**n`` (with jitter), at most ``cap`` per wait, ``attempts`` calls in all."""

    attempts: int = 4
    base: float = 0.5
    cap: float = 8.0
    max_retry_after: float = 30.0  # a Telegram flood wait longer than this goes to the dead letters

    def backoff(self, retry: int) -> float:
        """Wait before retry number ``retry`` (0-based)."""
        return float(min(self.cap, self.base * 2**retry) * random.uniform(0.8, 1.0))  # noqa: S311 (jitter only)


NO_RETRY = RetryPolicy(attempts=1)


def transient_wait(exc: BaseException) -> float | None:
    """Seconds to wait when ``exc`` is worth retrying (0 = use the backoff), else None (give up)."""
    name, module = type(exc).__name__, type(exc).__module__
    if name == "TwilioRestException":
        status = int(getattr(exc, "status", 0) or 0)
        return 0.0 if status >= 500 or status == 429 else None
    if module.startswith("telegram"):
        if name == "RetryAfter":
            after = getattr(exc, "retry_after", 0)
            return after.total_seconds() if isinstance(after, timedelta) else float(after or 0)
        from telegram.error import BadRequest, NetworkError

        return 0.0 if isinstance(exc, NetworkError) and not isinstance(exc, BadRequest) else None
    if module.startswith("httpx"):
        import httpx

        if isinstance(exc, httpx.HTTPStatusError):
            return 0.0 if exc.response.status_code >= 500 or exc.response.status_code == 429 else None
        return 0.0 if isinstance(exc, httpx.TransportError) else None
    if module.startswith("aiohttp") or isinstance(exc, (asyncio.TimeoutError, ConnectionError)):
        return 0.0
    return None


async def with_retries(
    call: Callable[[], Awaitable[T]],
    policy: RetryPolicy,
    what: str,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> T:
    """Run ``call``; on a transient failure wait and call again, at most ``policy.attempts`` times."""
    for attempt in range(policy.attempts):
        try:
            return await call()
        except Exception as exc:
            wait = transient_wait(exc)
            last = attempt + 1 >= policy.attempts
            if wait is None or last or wait > policy.max_retry_after:
                raise
            delay = wait or policy.backoff(attempt)
            log.warning("%s failed (%s), retry %d in %.1f s", what, type(exc).__name__, attempt + 1, delay)
            await sleep(delay)
    raise AssertionError("unreachable")  # pragma: no cover
