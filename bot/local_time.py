"""Times as French readers expect them: ``07/12/2026 14:22`` in the service's time zone (Paris), never UTC."""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from bot.clock import PARIS


def as_datetime(moment: datetime | float | str) -> datetime:
    """An aware datetime from epoch seconds, an ISO 8601 text (UTC when it has no offset) or a datetime."""
    if isinstance(moment, (int, float)):
        return datetime.fromtimestamp(moment, tz=timezone.utc)
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def local_label(moment: datetime | float | str, tz: ZoneInfo = PARIS, *, seconds: bool = False) -> str:
    """``07/12/2026 14:22`` (``14:22:46`` with ``seconds``) in ``tz``; an empty or unreadable time gives ``""``."""
    try:
        local = as_datetime(moment).astimezone(tz)
    except (ValueError, TypeError, OverflowError, OSError):
        return ""
    return local.strftime("%d/%m/%Y %H:%M:%S" if seconds else "%d/%m/%Y %H:%M")
