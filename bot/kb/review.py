"""What to re-check in the knowledge base, for ``make kb-review``.

Lists answers past their review-by date, sources consulted more than a year ago, amounts stated without their
year, administrative words not explained on first use (glossary check), the longest answers (readability) and
the written translations of answers still to be reviewed by a native-speaking mediator (issue 23).

Usage: ``python -m bot.kb.review [--today YYYY-MM-DD] [--strict]``.
"""

from __future__ import annotations

import datetime as dt
import sys

from bot.clock import PARIS, system_clock
from bot.kb.model import KB_DIR, Entry, load_kb, sms_segments
from bot.kb.readability import has_amount, undated_amounts, unglossed
from bot.kb.sources import Source
from bot.kb.translations import load_translations

LONGEST = 10


def due(entries: list[Entry], today: dt.date) -> list[Entry]:
    """Entries whose review_by date is today or earlier, oldest first."""
    late = [e for e in entries if e.review_by is not None and e.review_by <= today]
    return sorted(late, key=lambda e: (e.review_by, e.id))


def stale_sources(entries: list[Entry], today: dt.date) -> list[tuple[Entry, Source]]:
    """(entry, source) pairs whose source was consulted more than a year before today (or never dated)."""
    stale = [(e, s) for e in entries for s in e.sources if s.is_stale(today)]
    return sorted(stale, key=lambda pair: (pair[1].consulted or dt.date.min, pair[0].id))


def _text(entry: Entry) -> str:
    return " ".join((entry.answer, *entry.steps))


def undated(entries: list[Entry]) -> list[tuple[Entry, str]]:
    """(entry, amount) pairs: an amount in euros stated without its year."""
    return [(e, amount) for e in entries for amount in undated_amounts(_text(e))]


def with_amounts(entries: list[Entry]) -> list[Entry]:
    """Entries that state an amount (fees): they come back every January."""
    return [e for e in entries if has_amount(_text(e))]


def jargon(entries: list[Entry]) -> list[tuple[Entry, str]]:
    """(entry, word) pairs: an administrative word of the glossary used without an explanation."""
    return [(e, word) for e in entries for word in unglossed(_text(e))]


def longest(entries: list[Entry], count: int = LONGEST) -> list[tuple[Entry, int, int]]:
    """The ``count`` longest first messages: (entry, characters, SMS segments), longest first."""
    sized = [(e, len(e.full_answer), sms_segments(e.full_answer)) for e in entries]
    return sorted(sized, key=lambda item: (-item[1], item[0].id))[:count]


def main(argv: list[str] | None = None) -> int:
    """Print what to re-check; exit 0, or 1 when something is due or wrong and --strict is given."""
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
    amounts = undated(entries)
    for entry, amount in amounts:
        print(f"undated amount  {entry.theme}/{entry.id}  {amount}")
    fees = with_amounts(entries)
    print(
        f"{len(amounts)} amounts without their year; {len(fees)} answers state a dated amount "
        f"(review each January): {', '.join(e.id for e in fees)}."
    )
    words = jargon(entries)
    for entry, word in words:
        print(f"unexplained word  {entry.theme}/{entry.id}  {word}")
    print(f"{len(words)} administrative words used without an explanation.")
    print("Longest first messages (limit 2 SMS segments):")
    for entry, chars, segments in longest(entries):
        print(f"  {chars:4d} characters  {segments} SMS  {entry.theme}/{entry.id}")
    translations = load_translations()
    for translation in translations:
        print(f"{translation.translated_on}  {translation.kb_id} [{translation.language}]  {translation.review}")
    print(f"{len(translations)} translated answers ({len({t.kb_id for t in translations})} topics) to be reviewed.")
    problems = late or stale or amounts or words
    return 1 if problems and "--strict" in args else 0


if __name__ == "__main__":
    raise SystemExit(main())
