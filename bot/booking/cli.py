"""Mediator CLI: ``list --site S --day YYYY-MM-DD [--json]``, ``ics --site S [--out file.ics]`` and
``requeue-reminders`` (queued reminders rewritten as JSON jobs, once after the December 2026 upgrade)."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from datetime import date, timezone
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from bot.booking.models import Booking
from bot.booking.motives import MotiveCatalog, load_motives
from bot.booking.store import BookingStore
from bot.clock import system_clock
from bot.identity import contact
from bot.redis_connect import client as redis_client
from bot.settings import Settings
from bot.sites import Site, SiteDirectory, load_sites


def booking_row(booking: Booking, site: Site, catalog: MotiveCatalog, tz: object) -> dict[str, str]:
    """A booking as flat strings for display or JSON."""
    motive = catalog.get(booking.motive_id)
    return {
        "ref": booking.ref,
        "start": booking.start.astimezone(tz).isoformat(),  # type: ignore[arg-type]
        "end": booking.end.astimezone(tz).isoformat(),  # type: ignore[arg-type]
        "site": site.id,
        "motive": booking.motive_id,
        "motive_label": motive.short_label if motive else booking.motive_id,
        "contact": contact(booking.user),
    }


def build_calendar(
    bookings: list[Booking], site: Site, catalog: MotiveCatalog, tz: ZoneInfo, *, with_contact: bool = True
) -> Calendar:
    """An iCalendar of a site's bookings (one VEVENT per booking); ``with_contact=False`` leaves out how to reach
    the person (the console's subscribed feed: calendar providers keep what they fetch)."""
    calendar = Calendar()
    calendar.add("prodid", "-//PIMMS assistant//rendez-vous//FR")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"Rendez-vous {site.short_name}")
    for booking in bookings:
        motive = catalog.get(booking.motive_id)
        label = motive.short_label if motive else booking.motive_id
        event = Event()
        event.add("uid", f"{booking.ref}@pimms-booking")
        event.add("dtstamp", system_clock()().astimezone(timezone.utc))
        event.add("dtstart", booking.start.astimezone(tz))
        event.add("dtend", booking.end.astimezone(tz))
        event.add("summary", f"RDV {label} ({booking.ref})")
        event.add("location", site.address)
        reach = f" Contact : {contact(booking.user)}." if with_contact else ""
        event.add("description", f"Motif : {label}.{reach} Réf. {booking.ref}.")
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar


async def _collect(store: BookingStore, site_id: str, days: list[date]) -> list[Booking]:
    found: list[Booking] = []
    for day in days:
        found += await store.on_day(site_id, day)
    return found


async def _requeue(settings: Settings, sites: SiteDirectory, catalog: MotiveCatalog) -> int:
    from bot.booking.jobs import arq_pool
    from bot.booking.reminders import ArqReminderScheduler
    from bot.booking.requeue import requeue_reminders

    client = redis_client(settings, timeout=10, connect_timeout=10)
    try:
        pool = arq_pool(client)
        scheduler = ArqReminderScheduler(pool, sites.tz, system_clock(sites.tz))
        store = BookingStore(client, catalog.rules.granularity_minutes)
        count = await requeue_reminders(store, scheduler, pool, [s.id for s in sites.sites])
    finally:
        await client.close()
    print(f"Rappels reprogrammés : {count}.")
    return 0


async def _run(args: argparse.Namespace, settings: Settings, sites: SiteDirectory, catalog: MotiveCatalog) -> int:
    if args.command == "requeue-reminders":
        return await _requeue(settings, sites, catalog)
    site = sites.get(args.site)
    if site is None:
        print(f"Site inconnu : {args.site}. Sites : {', '.join(s.id for s in sites.sites)}", file=sys.stderr)
        return 2
    client = redis_client(settings, timeout=10, connect_timeout=10)
    try:
        store = BookingStore(client, catalog.rules.granularity_minutes)
        days = [args.day] if args.command == "list" else await store.days_with_bookings(site.id)
        bookings = await _collect(store, site.id, days)
    finally:
        await client.close()
    if args.command == "ics":
        data = build_calendar(bookings, site, catalog, sites.tz).to_ical()
        if args.out:
            with open(args.out, "wb") as handle:
                handle.write(data)
        else:
            sys.stdout.write(data.decode())
        return 0
    rows = [booking_row(b, site, catalog, sites.tz) for b in bookings]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    elif not rows:
        print(f"Aucun rendez-vous à {site.short_name} le {args.day.isoformat()}.")
    else:
        for row in rows:
            when = f"{row['start'][11:16]}-{row['end'][11:16]}"
            print(f"{when}  {row['ref']}  {row['motive_label']}  {row['contact']}")
    return 0


def parser() -> argparse.ArgumentParser:
    """Command-line arguments."""
    root = argparse.ArgumentParser(prog="bookings", description="Rendez-vous des guichets PIMMS.")
    commands = root.add_subparsers(dest="command", required=True)
    listing = commands.add_parser("list", help="rendez-vous d'un site pour un jour")
    listing.add_argument("--site", required=True)
    listing.add_argument("--day", required=True, type=date.fromisoformat, help="YYYY-MM-DD")
    listing.add_argument("--json", action="store_true")
    ics = commands.add_parser("ics", help="export iCalendar des rendez-vous d'un site")
    ics.add_argument("--site", required=True)
    ics.add_argument("--out", help="fichier .ics (sinon sortie standard)")
    commands.add_parser(
        "requeue-reminders", help="réécrire en JSON les rappels en attente (une fois, après mise à jour)"
    )
    return root


def main(argv: list[str] | None = None) -> int:
    """Entry point (``python -m bot bookings ...``); returns the exit status."""
    args = parser().parse_args(argv)
    settings = Settings.from_env()
    return asyncio.run(_run(args, settings, load_sites(settings.sites_file), load_motives()))


if __name__ == "__main__":
    raise SystemExit(main())
