"""Messages about the counters (hours, address), built from the site directory.

French is the source: the constants below; their variants are in ``translations/sites.yml`` (issue 23). The
opening hours, the address and the answers about one day or a part of the day are said in the resident's
language (``language``, French by default).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

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
_REASONS = {"jour férié": HOLIDAY, "fermeture exceptionnelle": EXCEPTIONAL}
ACCESS = "Accès : {access}."
PHONE = "Tél. {phone}."
# One day, or a part of the day ("c'est ouvert mercredi après-midi ?").
DAY_OPEN = "{site}, {when} : ouvert {spans}."
DAY_CLOSED_OPEN_ON = "{site}, {when} : fermé (ouvert {spans})."
DAY_CLOSED = "{site}, {when} : fermé."
DAY_CLOSED_REASON = "{site}, {when} : fermé ({reason})."
ON_WEEKDAY = "le {weekday}"
CLOSED_WORD = "fermé"
PART_DAYS = "{site}, {part} : {days}."
PART_CLOSED = "{site}, {part} : fermé."
MORNING = "matin"
AFTERNOON = "après-midi"
THE_MORNING = "le matin"
THE_AFTERNOON = "l'après-midi"


def _sites_for(directory: SiteDirectory, text: str) -> list[Site]:
    named = directory.find(text)
    return [named] if named else list(directory.sites)


def _open_now_note(site: Site, directory: SiteDirectory, now: datetime, language: str = "fr") -> str:
    tz = directory.tz
    if site.is_open_at(now, tz):
        return localize(OPEN_NOW, language)
    today = now.astimezone(tz).date()
    reason = site.closed_reason(today)
    reason = localize(_REASONS.get(reason, reason), language)
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


def _spans(spans: tuple[OpeningSpan, ...], language: str) -> str:
    return ", ".join(dates.span_label(s.start, s.end, language) for s in spans)


def _day_line(site: Site, spans: tuple[OpeningSpan, ...], when: str, part: str | None, language: str = "fr") -> str:
    """``Lyon 8e, mercredi après-midi : fermé (ouvert 9h-12h).``"""
    label = f"{when} {localize(MORNING if part == 'matin' else AFTERNOON, language)}" if part else when
    chosen = _part_spans(spans, part)
    if chosen:
        return localize(DAY_OPEN, language).format(site=site.short_name, when=label, spans=_spans(chosen, language))
    if spans:
        opens = _spans(spans, language)
        return localize(DAY_CLOSED_OPEN_ON, language).format(site=site.short_name, when=label, spans=opens)
    return localize(DAY_CLOSED, language).format(site=site.short_name, when=label)


def _part_message(site: Site, part: str | None, language: str) -> str:
    """The days open in a part of the day (or every day's hours without one)."""
    days = [
        f"{dates.weekday_name(index, language)} {_spans(chosen, language)}"
        for index in range(7)
        if (chosen := _part_spans(site.hours.get(index, ()), part))
    ]
    if part:
        article = localize(THE_MORNING if part == "matin" else THE_AFTERNOON, language)
        if not days:
            return localize(PART_CLOSED, language).format(site=site.short_name, part=article)
        return localize(PART_DAYS, language).format(site=site.short_name, part=article, days="; ".join(days))
    return f"{site.short_name} : " + ("; ".join(days) if days else localize(CLOSED_WORD, language)) + "."


def day_hours_messages(
    directory: SiteDirectory,
    text: str,
    now: datetime,
    weekday: int | None = None,
    offset: int | None = None,
    part: str | None = None,
    language: str = "fr",
) -> list[str]:
    """The hours of one day (a weekday, or today + ``offset``), or of a part of the day, per relevant site, in the
    resident's ``language``.

    A weekday is read as its next occurrence (today included): a closure or a public holiday on that date is
    said. Without a day, the days open in that part of the day are listed.
    """
    today = now.astimezone(directory.tz).date()
    messages = []
    for site in _sites_for(directory, text):
        if weekday is None and offset is None:
            messages.append(_part_message(site, part, language))
            continue
        if offset is not None:
            day = today + timedelta(days=offset)
        else:
            day = today + timedelta(days=((weekday or 0) - today.weekday()) % 7)
        spans = site.spans_on(day)
        if offset is not None:
            when = dates.relative_day(day, today, language)
        else:
            when = localize(ON_WEEKDAY, language).format(weekday=dates.weekday_name(day.weekday(), language))
        line = _day_line(site, site.hours.get(day.weekday(), ()), when, part, language)
        reason = site.closed_reason(day)
        if reason and not spans:
            reason = localize(_REASONS.get(reason, reason), language)
            label = dates.day_label(day, language)
            line = localize(DAY_CLOSED_REASON, language).format(site=site.short_name, when=label, reason=reason)
        messages.append(line)
    return messages
