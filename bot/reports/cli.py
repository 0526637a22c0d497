"""``python -m bot report --from YYYY-MM-DD --to YYYY-MM-DD [--site S] [--period week|month] --out FILE [--csv]``."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import date
from pathlib import Path

from bot import wiring
from bot.reports.render import report_csv, report_html
from bot.reports.report import ReportError, fetch_report, motive_labels
from bot.settings import Settings


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
    sites, catalog = wiring.sites(settings), wiring.motives()
    client = wiring.redis_client(settings, timeout=30, connect_timeout=10)
    try:
        activity = wiring.activity_log(settings, client)
        report = await fetch_report(activity, sites, args.start, args.end, args.period, args.site)
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
