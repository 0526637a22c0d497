"""French messages about the counters (hours, address), built from the site directory."""

from __future__ import annotations

from datetime import datetime

from bot.french_dates import hour_label, relative_day
from bot.sites import Site, SiteDirectory


def _sites_for(directory: SiteDirectory, text: str) -> list[Site]:
    named = directory.find(text)
    return [named] if named else list(directory.sites)


def _open_now_note(site: Site, directory: SiteDirectory, now: datetime) -> str:
    tz = directory.tz
    if site.is_open_at(now, tz):
        return "Ouvert en ce moment."
    today = now.astimezone(tz).date()
    reason = site.closed_reason(today)
    closed = f"Fermé aujourd'hui ({reason})" if reason else "Fermé en ce moment"
    nxt = site.next_opening(now, tz)
    if nxt is None:
        return f"{closed}."
    local = nxt.astimezone(tz)
    return f"{closed}, réouverture {relative_day(local.date(), today)} à {hour_label(local)}."


def hours_messages(directory: SiteDirectory, text: str, now: datetime) -> list[str]:
    """One message per relevant site with its opening hours (all sites when none is named)."""
    messages = []
    for site in _sites_for(directory, text):
        lines = "; ".join(site.hours_lines())
        note = _open_now_note(site, directory, now)
        messages.append(f"{site.name} : {lines}. {note}".strip())
    return messages


def address_messages(directory: SiteDirectory, text: str) -> list[str]:
    """One message per relevant site with its address and access (all sites when none is named)."""
    messages = []
    for site in _sites_for(directory, text):
        parts = [f"{site.name} : {site.address}."]
        if site.access:
            parts.append(f"Accès : {site.access}.")
        if site.phone:
            parts.append(f"Tél. {site.phone}.")
        messages.append(" ".join(parts))
    return messages


def site_query(directory: SiteDirectory, site_id: str | None) -> str:
    """A lookup text selecting a remembered site (empty text selects every site)."""
    site = directory.get(site_id) if site_id else None
    return site.id if site else ""
