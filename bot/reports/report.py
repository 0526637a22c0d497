"""The activity report: events of the log counted per week or month (Europe/Paris days), for one or all sites."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

from bot.activity import log as kinds
from bot.activity.log import ActivityLog
from bot.booking.motives import MotiveCatalog
from bot.french_dates import MONTHS_FR
from bot.identity import LABELS
from bot.sites import SiteDirectory

Period = Literal["week", "month"]
CHANNELS = LABELS  # the channel registry's labels, in its order
REASONS = {"request": "demandé", "fallback": "non compris deux fois", "urgent": "danger"}
REMINDER_ACTIONS = {
    "subscribed": "abonnements",
    "subscribed_counter": "dont au guichet",
    "sent": "rappels envoyés",
    "done": "réponses FAIT",
    "stopped": "arrêts",
}
BOOKING_ACTIONS = {
    "made": "pris",
    "moved": "déplacés",
    "cancelled": "annulés",
    "attended": "honorés",
    "no_show": "absences",
}


def percentile(values: list[float], share: float) -> float | None:
    """Nearest-rank percentile (``share`` in 0..1); None without values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


@dataclass
class Stats:
    """Figures of one period."""

    label: str
    start: date
    end: date  # inclusive
    conversations: Counter[str] = field(default_factory=Counter)  # by channel
    residents: dict[str, int] = field(default_factory=dict)  # channel -> distinct residents (day counters)
    residents_all: int = 0  # distinct residents on every channel
    questions: Counter[str] = field(default_factory=Counter)  # by theme
    not_understood: int = 0
    handoffs: Counter[str] = field(default_factory=Counter)  # by reason
    waits: list[float] = field(default_factory=list)
    handoff_ends: Counter[str] = field(default_factory=Counter)  # closed, handed_back, cancelled
    bookings: Counter[str] = field(default_factory=Counter)  # by action
    by_motive: dict[str, Counter[str]] = field(default_factory=dict)
    dangers: Counter[str] = field(default_factory=Counter)
    optouts: int = 0
    reminders: Counter[str] = field(default_factory=Counter)  # subscribed, sent, done, stopped, subscribed_counter

    def add(self, event: dict[str, Any]) -> None:
        """Count one event."""
        kind, channel = event["kind"], event.get("channel", "")
        if kind == kinds.CONVERSATION:
            self.conversations[channel] += 1
        elif kind == kinds.QUESTION:
            self.questions[event.get("theme", "")] += 1
        elif kind == kinds.NOT_UNDERSTOOD:
            self.not_understood += 1
        elif kind == kinds.HANDOFF:
            self.handoffs[event.get("reason", "request")] += 1
        elif kind == kinds.HANDOFF_CLAIMED:
            self.waits.append(float(event.get("wait", 0)))
        elif kind == kinds.HANDOFF_END:
            self.handoff_ends[event.get("outcome", "")] += 1
        elif kind == kinds.BOOKING:
            action = event.get("action", "")
            self.bookings[action] += 1
            self.by_motive.setdefault(event.get("motive", ""), Counter())[action] += 1
        elif kind == kinds.DANGER:
            self.dangers[event.get("danger", "")] += 1
        elif kind == kinds.OPTOUT:
            self.optouts += 1
        elif kind == kinds.REMINDER:
            action = event.get("action", "")
            self.reminders[action] += 1
            if action == "subscribed" and event.get("by") == "mediator":
                self.reminders["subscribed_counter"] += 1

    def residents_count(self, channel: str | None = None) -> int:
        """Distinct residents reached (on one channel, or on all)."""
        return self.residents_all if channel is None else self.residents.get(channel, 0)

    def wait_minutes(self, share: float) -> float | None:
        """Wait before a mediator took the conversation, in minutes (median: 0.5, 90th percentile: 0.9)."""
        value = percentile(self.waits, share)
        return None if value is None else round(value / 60, 1)

    def no_show_rate(self, motive: str | None = None) -> float | None:
        """No-shows among the appointments whose outcome was marked, in percent."""
        counts = self.bookings if motive is None else self.by_motive.get(motive, Counter())
        marked = counts["attended"] + counts["no_show"]
        return None if not marked else round(100 * counts["no_show"] / marked, 1)


@dataclass
class Report:
    """The whole report: one ``Stats`` per period plus the total."""

    start: date
    end: date
    period: Period
    site: str  # "" for every site
    site_label: str
    periods: list[Stats]
    total: Stats


def period_bounds(start: date, end: date, period: Period) -> list[tuple[str, date, date]]:
    """Weeks (Monday to Sunday) or calendar months covering ``start..end``, clipped to it."""
    out: list[tuple[str, date, date]] = []
    cursor = start
    while cursor <= end:
        if period == "week":
            monday = cursor - timedelta(days=cursor.weekday())
            last = min(end, monday + timedelta(days=6))
            label = f"semaine du {monday.strftime('%d/%m/%Y')}"
        else:
            following = date(cursor.year + (cursor.month == 12), cursor.month % 12 + 1, 1)
            last = min(end, following - timedelta(days=1))
            label = f"{MONTHS_FR[cursor.month - 1]} {cursor.year}"
        out.append((label, cursor, last))
        cursor = last + timedelta(days=1)
    return out


def day_start(day: date, tz: ZoneInfo) -> float:
    """Epoch seconds of local midnight (DST-safe)."""
    return datetime.combine(day, time(0), tzinfo=tz).timestamp()


ResidentCounts = dict[tuple[date, date], tuple[dict[str, int], int]]


def build_report(
    events: list[dict[str, Any]],
    start: date,
    end: date,
    period: Period,
    tz: ZoneInfo,
    site: str = "",
    site_label: str = "tous les sites",
    residents: ResidentCounts | None = None,
) -> Report:
    """Count ``events`` (from the log) into periods; with ``site``, only events recorded for that site.
    ``residents``: distinct residents per period ``(first, last)`` (``ActivityLog.residents``)."""
    bounds = period_bounds(start, end, period)
    periods = [Stats(label, first, last) for label, first, last in bounds]
    for stats in periods:
        stats.residents, stats.residents_all = (residents or {}).get((stats.start, stats.end), ({}, 0))
    edges = [(day_start(first, tz), day_start(last + timedelta(days=1), tz)) for _, first, last in bounds]
    total = Stats("total", start, end)
    total.residents, total.residents_all = (residents or {}).get((start, end), ({}, 0))
    for event in events:
        if site and event.get("site") != site:
            continue
        for stats, (low, high) in zip(periods, edges, strict=True):
            if low <= event["at"] < high:
                stats.add(event)
                total.add(event)
                break
    return Report(start, end, period, site, site_label, periods, total)


MAX_DAYS = 3 * 366


class ReportError(ValueError):
    """A report that cannot be made (bad dates, unknown site)."""


def motive_labels(catalog: MotiveCatalog) -> dict[str, str]:
    """Motive id -> short French label."""
    return {m.id: m.short_label for m in catalog.motives}


async def fetch_report(
    activity: ActivityLog, sites: SiteDirectory, start: date, end: date, period: Period, site_id: str = ""
) -> Report:
    """Read the log for ``start..end`` (Paris days, inclusive) and count it."""
    if end < start:
        raise ReportError("la date de fin est avant la date de début")
    if (end - start).days > MAX_DAYS:
        raise ReportError("période trop longue (trois ans au plus)")
    site_label = "tous les sites"
    if site_id:
        site = sites.get(site_id)
        if site is None:
            raise ReportError(f"site inconnu : {site_id}")
        site_label = site.name
    tz = sites.tz
    await activity.forget_legacy()  # a log written before December 2026 named residents: strip it first
    events = await activity.events(day_start(start, tz), day_start(date.fromordinal(end.toordinal() + 1), tz))
    residents: ResidentCounts = {}
    for first, last in [(start, end)] + [(first, last) for _, first, last in period_bounds(start, end, period)]:
        residents[(first, last)] = await activity.residents(first, last, site_id)
    return build_report(events, start, end, period, tz, site_id, site_label, residents)
