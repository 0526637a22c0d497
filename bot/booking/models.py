"""Booking record, references and errors."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from datetime import datetime

REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_LENGTH = 6
ACTIVE = "active"
CANCELLED = "cancelled"


def new_reference() -> str:
    """A short readable reference without 0/O/1/I/L, e.g. ``K7M4QZ``."""
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


def normalize_reference(text: str) -> str:
    """Upper-case reference with spaces and dashes removed."""
    return "".join(text.replace("-", " ").split()).upper()


class BookingError(Exception):
    """Base class of booking failures."""


class SlotFull(BookingError):
    """The slot has no free counter any more."""


class TooManyBookings(BookingError):
    """The user already has the maximum number of active bookings."""


class BookingNotFound(BookingError):
    """No active booking with this reference for this user."""


class SlotUnavailable(BookingError):
    """The slot is outside opening hours, lead time or horizon."""


@dataclass(frozen=True)
class Booking:
    """A counter appointment."""

    ref: str
    user: str
    site_id: str
    motive_id: str
    start: datetime
    end: datetime
    channel: str = "rest"
    status: str = ACTIVE
    created_at: datetime | None = None
    language: str = "fr"  # the resident's language (issue 23): the agenda shows it, the counter plans for it

    @property
    def active(self) -> bool:
        """Whether the booking still holds its slot."""
        return self.status == ACTIVE

    def with_ref(self, ref: str) -> Booking:
        """A copy with another reference."""
        return replace(self, ref=ref)

    def to_fields(self) -> dict[str, str]:
        """Flat string fields for a Redis hash."""
        return {
            "ref": self.ref,
            "user": self.user,
            "site_id": self.site_id,
            "motive_id": self.motive_id,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "start_ts": str(int(self.start.timestamp())),
            "channel": self.channel,
            "status": self.status,
            "created_at": self.created_at.isoformat() if self.created_at else "",
            "language": self.language,
        }

    @classmethod
    def from_fields(cls, raw: dict[str, str]) -> Booking:
        """Rebuild from Redis hash fields."""
        created = raw.get("created_at") or ""
        return cls(
            ref=raw["ref"],
            user=raw["user"],
            site_id=raw["site_id"],
            motive_id=raw["motive_id"],
            start=datetime.fromisoformat(raw["start"]),
            end=datetime.fromisoformat(raw["end"]),
            channel=raw.get("channel", "rest"),
            status=raw.get("status", ACTIVE),
            created_at=datetime.fromisoformat(created) if created else None,
            language=raw.get("language") or "fr",
        )
