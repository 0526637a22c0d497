"""The moment the stack under test lives at, whatever the hour the suite runs.

Every process of the stack (Rasa, action server, console, reminder worker) reads the wall clock, and so does
Rasa itself (event timestamps, session expiry). Rather than thread a clock through code we do not own, the
stack fixture starts those processes under libfaketime (Debian package ``faketime``) with one *relative*
offset, so that they all agree with each other and with the test, which reads the same moment through
``StackClock``:

- by default the stack lives at ``DEFAULT_MOMENT``, an ordinary opening morning;
- ``PIMMS_STACK_MOMENT=2026-12-07T15:47:00+01:00`` pins another moment (``now``: the real clock);
- when pytest itself already runs under libfaketime (``make test-moments``), the stack processes inherit that
  offset and the test's own clock is already the moment.

Redis is not faked: keys expire relative to their writing, so an offset clock is consistent with it.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from bot.clock import PARIS

# Wednesday 9 December 2026, 10:00 in Paris: counters open, slots free today and on the following days.
DEFAULT_MOMENT = "2026-12-09T10:00:00+01:00"
MOMENT_VARIABLE = "PIMMS_STACK_MOMENT"
LIBFAKETIME_PATHS = (
    "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1",
    "/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1",
    "/usr/lib/faketime/libfaketime.so.1",
    "/usr/local/lib/faketime/libfaketime.so.1",
)


class NoLibfaketime(RuntimeError):
    """libfaketime is needed to pin the stack's moment."""


@dataclass(frozen=True)
class StackClock:
    """The stack's clock seen from the test: the real clock plus the offset given to the stack's processes."""

    offset: int = 0

    def epoch(self) -> float:
        """POSIX seconds, as the stack's processes read them."""
        return time.time() + self.offset

    def now(self) -> datetime:
        """The stack's now, in Paris time."""
        return datetime.fromtimestamp(self.epoch(), timezone.utc).astimezone(PARIS)


def under_faketime(env: Mapping[str, str]) -> bool:
    """Whether this process (and so every child) already runs under libfaketime."""
    return "faketime" in env.get("LD_PRELOAD", "") and bool(env.get("FAKETIME"))


def libfaketime() -> str:
    """Path of the preloadable library (raises NoLibfaketime with the install command)."""
    for path in LIBFAKETIME_PATHS:
        if Path(path).exists():
            return path
    raise NoLibfaketime("the stack tests need libfaketime: apt-get install faketime (Debian/Ubuntu)")


def pinned_moment(env: Mapping[str, str]) -> datetime | None:
    """The moment asked for (None: the real clock)."""
    raw = env.get(MOMENT_VARIABLE, "").strip() or DEFAULT_MOMENT
    if raw == "now":
        return None
    moment = datetime.fromisoformat(raw)
    if moment.tzinfo is None:
        raise ValueError(f"{MOMENT_VARIABLE} needs a UTC offset, e.g. 2026-12-07T15:47:00+01:00")
    return moment


def stack_clock(
    env: Mapping[str, str] | None = None, real_now: float | None = None
) -> tuple[StackClock, dict[str, str]]:
    """The test's view of the stack clock and the environment that gives it to the stack's processes."""
    env = os.environ if env is None else env
    if under_faketime(env):
        return StackClock(0), {}  # make test-moments: the children inherit the same offset
    moment = pinned_moment(env)
    if moment is None:
        return StackClock(0), {}
    offset = round(moment.timestamp() - (time.time() if real_now is None else real_now))
    faked = {"LD_PRELOAD": libfaketime(), "FAKETIME": f"{offset:+d}", "FAKETIME_DONT_FAKE_MONOTONIC": "1"}
    return StackClock(offset), faked
