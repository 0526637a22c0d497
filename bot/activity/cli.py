"""``python -m bot report --from YYYY-MM-DD --to YYYY-MM-DD [--site S] [--period week|month] --out FILE [--csv]``."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import date
from pathlib import Path

from bot import redis_connect
from bot.activity.log import ActivityLog
from bot.activity.render import report_csv, report_html
from bot.activity.report import Period, Report, ResidentCounts, build_report, day_start, period_bounds
from bot.booking.motives import MotiveCatalog, load_motives
from bot.settings import Settings
from bot.sites import SiteDirectory, load_sites

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


def parser() -> argparse.ArgumentParser:
    """Command-line arguments."""
    root = argparse.ArgumentParser(prog="report", description="Rapport d'activité (chiffres agrégés).")
    root.add_argument("--from", dest="start", required=True, type=date.fromisoformat, help="YYYY-MM-DD")
    root.add_argument("--to", dest="end", required=True, type=date.fromisoformat, help="YYYY-MM-DD (inclus)")
    root.add_argument("--site", default="", help="identifiant du site (tous par défaut)")
    root.add_argument("--period", choices=("week", "month"), default="week")
    root.add_argument("--out", required=True, help="fichier à écrire (.html, ou .csv avec --csv)")
    root.add_argument("--csv", action="store_true", help="écrire un CSV au lieu d'une page HTML")
    return root


async def _run(args: argparse.Namespace, settings: Settings) -> int:
    sites, catalog = load_sites(settings.sites_file), load_motives()
    client = redis_connect.client(settings, timeout=30, connect_timeout=10)
    try:
        report = await fetch_report(ActivityLog(client), sites, args.start, args.end, args.period, args.site)
    except ReportError as exc:
        print(f"Rapport impossible : {exc}", file=sys.stderr)
        return 2
    finally:
        await client.close()
    labels = motive_labels(catalog)
    text = report_csv(report, labels) if args.csv else report_html(report, labels)
    Path(args.out).write_text(text, encoding="utf-8")
    print(f"Rapport écrit : {args.out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point (``python -m bot report ...``); returns the exit status."""
    args = parser().parse_args(argv)
    return asyncio.run(_run(args, Settings.from_env()))
