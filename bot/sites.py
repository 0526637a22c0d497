"""Counter sites: names, addresses, opening hours, closures, loaded from the site configuration file."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from bot.french_dates import WEEKDAYS_FR, span_label
from bot.public_holidays import is_public_holiday

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class OpeningSpan:
    """One opening period within a day, e.g. 09:00-12:00."""

    start: time
    end: time

    @classmethod
    def parse(cls, text: str) -> OpeningSpan:
        """Parse ``"HH:MM-HH:MM"``."""
        try:
            start_s, end_s = (part.strip() for part in text.split("-"))
            span = cls(time.fromisoformat(start_s), time.fromisoformat(end_s))
        except ValueError as exc:
            raise ValueError(f"invalid opening span {text!r}, expected HH:MM-HH:MM") from exc
        if span.end <= span.start:
            raise ValueError(f"opening span {text!r} ends before it starts")
        return span

    def label(self) -> str:
        """French label, e.g. ``9h-12h`` or ``13h30-17h``."""
        return span_label(self.start, self.end)


@dataclass(frozen=True)
class Site:
    """A PIMMS counter."""

    id: str
    name: str
    short_name: str
    address: str
    phone: str = ""
    access: str = ""
    counters: int = 1
    hours: dict[int, tuple[OpeningSpan, ...]] = field(default_factory=dict)
    closures: frozenset[date] = frozenset()
    services: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()

    def spans_on(self, day: date) -> tuple[OpeningSpan, ...]:
        """Opening spans on a given day: the one rule every feature asks (hours, hand-off, booking).

        Empty when the site is closed that weekday, on one of its closure dates, or on a French public
        holiday.
        """
        if day in self.closures or is_public_holiday(day):
            return ()
        return self.hours.get(day.weekday(), ())

    def closed_reason(self, day: date) -> str:
        """Why an otherwise open weekday is closed: ``"jour férié"``, ``"fermeture exceptionnelle"`` or ``""``."""
        if not self.hours.get(day.weekday()):
            return ""
        if is_public_holiday(day):
            return "jour férié"
        return "fermeture exceptionnelle" if day in self.closures else ""

    def is_open_at(self, moment: datetime, tz: ZoneInfo) -> bool:
        """Whether the counter is open at an aware datetime."""
        local = moment.astimezone(tz)
        return any(s.start <= local.time() < s.end for s in self.spans_on(local.date()))

    def next_opening(self, moment: datetime, tz: ZoneInfo, horizon_days: int = 21) -> datetime | None:
        """The next moment (>= ``moment``) at which the counter is open, or None within the horizon."""
        local = moment.astimezone(tz)
        for offset in range(horizon_days + 1):
            day = local.date() + timedelta(days=offset)
            for span in self.spans_on(day):
                start = datetime.combine(day, span.start, tzinfo=tz)
                end = datetime.combine(day, span.end, tzinfo=tz)
                if end <= local:
                    continue
                return max(start, local)
        return None

    def hours_lines(self) -> list[str]:
        """One French line per opening weekday, e.g. ``lundi: 9h-12h, 13h30-17h``."""
        lines = []
        for index, name in enumerate(WEEKDAYS_FR):
            spans = self.hours.get(index, ())
            if spans:
                lines.append(f"{name}: " + ", ".join(s.label() for s in spans))
        return lines


@dataclass(frozen=True)
class SiteDirectory:
    """All configured sites."""

    sites: tuple[Site, ...]
    example: bool = False
    timezone: str = "Europe/Paris"
    network: str = "PIMMS"  # how residents are told who answers, e.g. "PIMMS de Lyon"

    @property
    def tz(self) -> ZoneInfo:
        """The sites' time zone."""
        return ZoneInfo(self.timezone)

    def get(self, site_id: str) -> Site | None:
        """A site by id."""
        return next((s for s in self.sites if s.id == site_id), None)

    def default(self) -> Site:
        """The first configured site."""
        return self.sites[0]

    def find(self, text: str) -> Site | None:
        """A site whose id, name or short name appears in ``text`` (accent- and case-insensitive)."""
        from bot.text import normalize

        needle = f" {normalize(text)} "
        compact = needle.replace(" ", "")
        for site in self.sites:
            names: Iterable[str] = (site.id, site.short_name, *site.aliases)
            for name in names:
                key = normalize(name)
                if key and (f" {key} " in needle or (len(key) > 4 and key.replace(" ", "") in compact)):
                    return site
        return None


def _parse_site(raw: dict[str, Any]) -> Site:
    hours: dict[int, tuple[OpeningSpan, ...]] = {}
    for day_name, spans in (raw.get("hours") or {}).items():
        if day_name not in WEEKDAYS:
            raise ValueError(f"site {raw.get('id')}: unknown weekday {day_name!r}")
        hours[WEEKDAYS.index(day_name)] = tuple(OpeningSpan.parse(s) for s in spans or ())
    counters = int(raw.get("counters", 1))
    if counters < 1:
        raise ValueError(f"site {raw.get('id')}: counters must be >= 1")
    return Site(
        id=str(raw["id"]),
        name=str(raw["name"]),
        short_name=str(raw.get("short_name") or raw["name"]),
        address=str(raw["address"]),
        phone=str(raw.get("phone", "")),
        access=str(raw.get("access", "")),
        counters=counters,
        hours=hours,
        closures=frozenset(date.fromisoformat(str(d)) for d in raw.get("closures") or ()),
        services=tuple(raw.get("services") or ()),
        aliases=tuple(str(a) for a in raw.get("aliases") or ()),
    )


def load_sites(path: Path) -> SiteDirectory:
    """Load and validate the site configuration file."""
    with path.open(encoding="utf-8") as handle:
        raw = yaml.safe_load(handle) or {}
    sites = tuple(_parse_site(item) for item in raw.get("sites") or ())
    if not sites:
        raise ValueError(f"{path}: no site configured")
    ids = [s.id for s in sites]
    if len(set(ids)) != len(ids):
        raise ValueError(f"{path}: duplicate site ids")
    return SiteDirectory(
        sites=sites,
        example=bool(raw.get("example", False)),
        timezone=str(raw.get("timezone", "Europe/Paris")),
        network=str(raw.get("network") or "PIMMS"),
    )
