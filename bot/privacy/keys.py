"""The registry of every Redis key this project writes: what it holds, how long it lives, how erasure finds it.

One home for all key patterns: the data is ``keys.yml`` beside this module, the rules are here. A feature that
adds a Redis key adds one entry there:

- a key that names a sender: ``{key: "pimms:feature:{sender}", retention: activity, holds: "what it holds"}``.
  Erasure (``bot.privacy.erase``) deletes it, the export (``bot.privacy.export``) counts it, and the retention
  check (``bot.privacy.retention``) requires a TTL within the configured retention;
- a shared key holding sender ids as members (a queue, an index): add it to ``SENDER_MEMBERS`` too, so
  erasure removes the sender from it;
- a shared key without personal data: ``{key: "pimms:feature:config", retention: kept, holds: ..., why: ...}``.

The retention stack test scans every key after a day of activity: an unregistered key fails it.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from enum import Enum
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Literal

import yaml

SENDER = "{sender}"


class Retention(str, Enum):
    """How long a kind of key may live."""

    ACTIVITY = "activity"  # RETENTION_DAYS after the sender's last activity
    BOOKING = "booking"  # the appointment (up to the booking horizon) plus BOOKING_RETENTION_DAYS
    SHORT = "short"  # at most SHORT_MAX_SECONDS (technical keys: dedup, rate limits, sessions)
    ACCESS_LOG = "access_log"  # ACCESS_LOG_DAYS
    STATISTICS = "statistics"  # ACTIVITY_RETENTION_DAYS after the month (pseudonymised, no number, no text)
    REMINDERS = "reminders"  # reminders a resident asked for: the last one's day plus a month, REMINDERS_MAX_SECONDS
    KEPT = "kept"  # no expiry, on purpose (documented in ``why``)


SHORT_MAX_SECONDS = 7 * 24 * 3600
REMINDERS_MAX_SECONDS = 400 * 24 * 3600  # a consent lasts a year at most (config/reminders.yml), plus a month


@dataclass(frozen=True)
class KeySpec:
    """One Redis key pattern (``{sender}`` stands for a sender id, ``*`` for anything)."""

    pattern: str
    retention: Retention
    holds: str
    why: str = ""

    @property
    def per_sender(self) -> bool:
        """Whether the key name contains a sender id (erasure deletes it)."""
        return SENDER in self.pattern

    @property
    def glob(self) -> str:
        """The pattern as a Redis/fnmatch glob matching every sender."""
        return self.pattern.replace(SENDER, "*")

    @property
    def is_glob(self) -> bool:
        """Whether finding the keys takes a SCAN (the pattern has ``*`` besides the sender)."""
        return "*" in self.pattern

    def for_sender(self, sender_id: str) -> str:
        """The key (or glob, when the pattern has ``*``) of one sender, glob characters escaped."""
        if self.is_glob:
            return self.pattern.replace(SENDER, escape_glob(sender_id))
        return self.pattern.replace(SENDER, sender_id)

    def matches(self, key: str) -> bool:
        """Whether a concrete key has this pattern."""
        return fnmatchcase(key, self.glob)


@dataclass(frozen=True)
class MemberSpec:
    """A shared key whose members (or hash fields) are sender ids."""

    key: str
    kind: Literal["set", "zset", "hash"]


TRACKER_KEY = "pimmstracker:tracker:{sender}"
# Older events of the conversation, moved out of what Rasa loads at every turn (bot/tracker_history.py).
ARCHIVE_KEY = "pimmstracker:archive:{sender}"
PRIVACY_PREFIX = "pimms:privacy:"

REGISTRY_FILE = Path(__file__).with_name("keys.yml")


@functools.cache
def registry() -> tuple[KeySpec, ...]:
    """Every registered key pattern, in the order of ``keys.yml`` (read once, on first use)."""
    data = yaml.safe_load(REGISTRY_FILE.read_text(encoding="utf-8"))
    return tuple(
        KeySpec(entry["key"], Retention(entry["retention"]), entry["holds"], entry.get("why", ""))
        for entry in data["keys"]
    )


@dataclass(frozen=True)
class PointerSpec:
    """A per-sender key whose value names another key holding the sender id (``{value}`` in ``target``)."""

    pointer: str
    target: str


# Read before erasure, so that the keys they point to go too (e.g. the opaque link token -> sender id).
SENDER_POINTERS: tuple[PointerSpec, ...] = (
    PointerSpec("pimms:handoff:link-of:{sender}", "pimms:handoff:link:{value}"),
    PointerSpec("pimms:console:ref-of:{sender}", "pimms:console:ref:{value}"),
)

SENDER_MEMBERS: tuple[MemberSpec, ...] = (
    MemberSpec("pimms:handoff:queue", "zset"),
    MemberSpec("pimms:handoff:held", "set"),
    MemberSpec("pimms:inbound:sms:due", "zset"),
    MemberSpec("pimms:inbound:sms:running", "set"),
    MemberSpec("pimms:inbound:telegram:due", "zset"),
    MemberSpec("pimms:inbound:telegram:running", "set"),
    MemberSpec("pimms:reminders:due", "zset"),
)

_GLOB_SPECIAL = re.compile(r"([\\*?\[\]])")


def escape_glob(text: str) -> str:
    """Escape Redis glob characters in a sender id (REST sender ids are free text)."""
    return _GLOB_SPECIAL.sub(r"\\\1", text)


def spec_for(key: str) -> KeySpec | None:
    """The registered pattern of a concrete key (per-sender patterns are tried first), or None."""
    ordered = sorted(registry(), key=lambda s: (not s.per_sender, -len(s.pattern)))
    for spec in ordered:
        if spec.matches(key):
            return spec
    return None


def sender_keys() -> tuple[KeySpec, ...]:
    """Patterns whose key names contain a sender id (erased), except those kept on purpose."""
    return tuple(s for s in registry() if s.per_sender and s.retention != Retention.KEPT)


def kept_sender_keys() -> tuple[KeySpec, ...]:
    """Patterns naming a sender that erasure keeps (the opt-out)."""
    return tuple(s for s in registry() if s.per_sender and s.retention == Retention.KEPT)
