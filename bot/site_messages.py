"""Messages about the counters (hours, address), built from the site directory.

French is the source: the constants below; their variants are in ``translations/sites.yml`` (issue 23). The
opening hours and the address are said in the resident's language (``language``, French by default); the
answers about one day or a part of the day stay French for now.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from bot.french_dates import WEEKDAYS_FR, day_label, relative_day
from bot.language import dates
from bot.language.texts import localize
from bot.sites import OpeningSpan, Site, SiteDirectory

NOON = time(12, 0)
OPEN_NOW = "Ouvert en ce moment."
CLOSED_TODAY = "Fermé aujourd'hui ({reason})"
CLOSED_NOW = "Fermé en ce moment"
REOPENS = "{closed}, réouverture {day} à {hour}."
HOLIDAY = "jour férié"
EXCEPTIONAL = "fermeture exceptionnelle"
ACCESS = "Accès : {access}."
PHONE = "Tél. {phone}."


def _sites_for(directory: SiteDirectory, text: str) -> list[Site]:
    named = directory.find(text)
    return [named] if named else list(directory.sites)


def _open_now_note(site: Site, directory: SiteDirectory, now: datetime, language: str = "fr") -> str:
    tz = directory.tz
    if site.is_open_at(now, tz):
        return localize(OPEN_NOW, language)
    today = now.astimezone(tz).date()
    reason = site.closed_reason(today)
    reason = localize({"jour férié": HOLIDAY, "fermeture exceptionnelle": EXCEPTIONAL}.get(reason, reason), language)
    closed = localize(CLOSED_TODAY, language).format(reason=reason) if reason else localize(CLOSED_NOW, language)
    nxt = site.next_opening(now, tz)
    if nxt is None:
        return f"{closed}."
    local = nxt.astimezone(tz)
    return localize(REOPENS, language).format(
        closed=closed,
        day=dates.relative_day(local.date(), today, language),
        hour=dates.hour_label(local, language),
    )


def _hours_lines(site: Site, language: str) -> list[str]:
    """One line per opening weekday, e.g. ``lundi: 9h-12h, 13h30-17h`` or ``Monday: 9:00-12:00``."""
    if language == "fr":
        return site.hours_lines()
    return [
        f"{dates.weekday_name(index, language)}: "
        + ", ".join(dates.span_label(s.start, s.end, language) for s in spans)
        for index in range(7)
        if (spans := site.hours.get(index, ()))
    ]


def hours_messages(directory: SiteDirectory, text: str, now: datetime, language: str = "fr") -> list[str]:
    """One message per relevant site with its opening hours (all sites when none is named)."""
    messages = []
    for site in _sites_for(directory, text):
        lines = "; ".join(_hours_lines(site, language))
        note = _open_now_note(site, directory, now, language)
        messages.append(f"{site.name} : {lines}. {note}".strip())
    return messages


def address_messages(directory: SiteDirectory, text: str, language: str = "fr") -> list[str]:
    """One message per relevant site with its address and access (all sites when none is named)."""
    messages = []
    for site in _sites_for(directory, text):
        parts = [f"{site.name} : {site.address}."]
        if site.access:
            parts.append(localize(ACCESS, language).format(access=localize(site.access, language)))
        if site.phone:
            parts.append(localize(PHONE, language).format(phone=site.phone))
        messages.append(" ".join(parts))
    return messages


def site_query(directory: SiteDirectory, site_id: str | None) -> str:
    """A lookup text selecting a remembered site (empty text selects every site)."""
    site = directory.get(site_id) if site_id else None
    return site.id if site else ""


def _part_spans(spans: tuple[OpeningSpan, ...], part: str | None) -> tuple[OpeningSpan, ...]:
    """Spans of a part of the day: ``matin`` before noon, ``après-midi`` after."""
    if part is None:
        return spans
    if part == "matin":
        return tuple(s for s in spans if s.start < NOON)
    return tuple(s for s in spans if s.end > NOON)


def _day_line(site: Site, spans: tuple[OpeningSpan, ...], when: str, part: str | None) -> str:
    """``Lyon 8e, mercredi après-midi : fermé (ouvert 9h-12h).``"""
    label = f"{when} {part}" if part else when
    chosen = _part_spans(spans, part)
    if chosen:
        return f"{site.short_name}, {label} : ouvert " + ", ".join(s.label() for s in chosen) + "."
    if spans:
        return f"{site.short_name}, {label} : fermé (ouvert " + ", ".join(s.label() for s in spans) + ")."
    return f"{site.short_name}, {label} : fermé."


def day_hours_messages(
    directory: SiteDirectory,
    text: str,
    now: datetime,
    weekday: int | None = None,
    offset: int | None = None,
    part: str | None = None,
) -> list[str]:
    """The hours of one day (a weekday, or today + ``offset``), or of a part of the day, per relevant site.

    A weekday is read as its next occurrence (today included): a closure or a public holiday on that date is
    said. Without a day, the days open in that part of the day are listed.
    """
    today = now.astimezone(directory.tz).date()
    messages = []
    for site in _sites_for(directory, text):
        if weekday is None and offset is None:
            days = [
                f"{name} " + ", ".join(s.label() for s in _part_spans(site.hours.get(index, ()), part))
                for index, name in enumerate(WEEKDAYS_FR)
                if _part_spans(site.hours.get(index, ()), part)
            ]
            article = "le matin" if part == "matin" else f"l'{part}"
            label = f"{site.short_name}, {article}" if part else site.short_name
            messages.append(f"{label} : " + ("; ".join(days) if days else "fermé") + ".")
            continue
        if offset is not None:
            day = today + timedelta(days=offset)
        else:
            day = today + timedelta(days=((weekday or 0) - today.weekday()) % 7)
        spans = site.spans_on(day)
        when = relative_day(day, today) if offset is not None else f"le {WEEKDAYS_FR[day.weekday()]}"
        line = _day_line(site, site.hours.get(day.weekday(), ()), when, part)
        reason = site.closed_reason(day)
        if reason and not spans:
            line = f"{site.short_name}, {day_label(day)} : fermé ({reason})."
        messages.append(line)
    return messages
