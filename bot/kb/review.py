"""List knowledge-base answers past their review-by date.

Usage: ``python -m bot.kb.review [--today YYYY-MM-DD] [--strict]``.
"""

from __future__ import annotations

import datetime as dt
import sys
from zoneinfo import ZoneInfo

from bot.kb.model import KB_DIR, Entry, load_kb

PARIS = ZoneInfo("Europe/Paris")


def due(entries: list[Entry], today: dt.date) -> list[Entry]:
    """Entries whose review_by date is today or earlier, oldest first."""
    late = [e for e in entries if e.review_by is not None and e.review_by <= today]
    return sorted(late, key=lambda e: (e.review_by, e.id))


def main(argv: list[str] | None = None) -> int:
    """Print the answers to re-check; exit 0, or 1 when some are due and --strict is given."""
    args = sys.argv[1:] if argv is None else argv
    today = dt.datetime.now(PARIS).date()
    if "--today" in args:
        today = dt.date.fromisoformat(args[args.index("--today") + 1])
    entries = load_kb(KB_DIR)
    late = due(entries, today)
    for entry in late:
        print(f"{entry.review_by}  {entry.theme}/{entry.id}  checked {entry.checked_on}  {entry.sources[0]}")
    print(f"{len(late)} of {len(entries)} answers to review (today {today}).")
    return 1 if late and "--strict" in args else 0


if __name__ == "__main__":
    raise SystemExit(main())
