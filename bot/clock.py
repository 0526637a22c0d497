"""The one home of "now": every feature receives a ``Clock`` instead of reading the wall clock.

A ``Clock`` is a callable returning an aware ``datetime``. Production code builds one with
``system_clock()`` (Europe/Paris by default); tests pass ``fixed_clock(moment)`` so that nothing depends
on the hour, weekday or season the suite runs at.

To run the whole suite as if it were another moment (a Saturday night, the eve of a public holiday, a
daylight-saving night, 31 December), ``make test-moments`` runs it under libfaketime (Debian package
``faketime``): every process, Redis included, then sees that moment, and the test clocks derived from it
stay consistent.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

Clock = Callable[[], datetime]

PARIS = ZoneInfo("Europe/Paris")


def system_clock(tz: ZoneInfo = PARIS) -> Clock:
    """The real clock, as aware datetimes in ``tz``."""

    def now() -> datetime:
        return datetime.now(tz)

    return now


def fixed_clock(moment: datetime) -> Clock:
    """A clock stopped at ``moment`` (which must be aware)."""
    if moment.tzinfo is None:
        raise ValueError("a clock needs an aware datetime")

    def now() -> datetime:
        return moment

    return now


def utc_timestamp(clock: Clock) -> float:
    """POSIX timestamp of the clock's now (for code that stores epoch seconds)."""
    return clock().astimezone(timezone.utc).timestamp()
