"""List knowledge-base answers past their review-by date, sources consulted more than a year ago, and the
written translations of answers still to be reviewed by a native-speaking mediator (issue 23).

Usage: ``python -m bot.kb.review [--today YYYY-MM-DD] [--strict]``.
"""

from __future__ import annotations

import datetime as dt
import sys

from bot.clock import PARIS, system_clock
from bot.kb.model import KB_DIR, Entry, load_kb
from bot.kb.sources import Source
from bot.kb.translations import load_translations


def due(entries: list[Entry], today: dt.date) -> list[Entry]:
    """Entries whose review_by date is today or earlier, oldest first."""
    late = [e for e in entries if e.review_by is not None and e.review_by <= today]
    return sorted(late, key=lambda e: (e.review_by, e.id))


def stale_sources(entries: list[Entry], today: dt.date) -> list[tuple[Entry, Source]]:
    """(entry, source) pairs whose source was consulted more than a year before today (or never dated)."""
    stale = [(e, s) for e in entries for s in e.sources if s.is_stale(today)]
    return sorted(stale, key=lambda pair: (pair[1].consulted or dt.date.min, pair[0].id))


def main(argv: list[str] | None = None) -> int:
    """Print what to re-check; exit 0, or 1 when something is due and --strict is given."""
    args = sys.argv[1:] if argv is None else argv
    today = system_clock(PARIS)().date()
    if "--today" in args:
        today = dt.date.fromisoformat(args[args.index("--today") + 1])
    entries = load_kb(KB_DIR)
    late = due(entries, today)
    for entry in late:
        first = entry.sources[0].url if entry.sources else "-"
        print(f"{entry.review_by}  {entry.theme}/{entry.id}  checked {entry.checked_on}  {first}")
    print(f"{len(late)} of {len(entries)} answers to review (today {today}).")
    stale = stale_sources(entries, today)
    for entry, source in stale:
        print(f"{source.consulted or 'undated'}  {entry.theme}/{entry.id}  {source.url}")
    print(f"{len(stale)} sources consulted more than a year ago.")
    translations = load_translations()
    for translation in translations:
        print(f"{translation.translated_on}  {translation.kb_id} [{translation.language}]  {translation.review}")
    print(f"{len(translations)} translated answers ({len({t.kb_id for t in translations})} topics) to be reviewed.")
    return 1 if (late or stale) and "--strict" in args else 0


if __name__ == "__main__":
    raise SystemExit(main())
