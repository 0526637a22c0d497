"""Knowledge-base entries: loading kb/*.yml and checking them (sources, dates, SMS length)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.kb.readability import has_amount, undated_amounts
from bot.kb.sources import Source, moved_addresses, parse_source, source_problems
from bot.sms.gsm import segment_count, transliterate

PROJECT_ROOT = Path(__file__).resolve().parents[2]
KB_DIR = PROJECT_ROOT / "kb"
MAX_SEGMENTS = 2
MIN_EXAMPLES = 20
MORE_HINT = " Détails : répondez PLUS."
_ID = re.compile(r"^[a-z][a-z0-9_]*$")


class KbError(ValueError):
    """A knowledge-base file or entry is invalid."""


@dataclass(frozen=True)
class Entry:
    """One question topic: examples (NLU), answer (response), steps (PLUS), sources and dates."""

    id: str
    theme: str
    answer: str
    examples: tuple[str, ...]
    sources: tuple[Source, ...]
    checked_on: dt.date | None
    review_by: dt.date | None = None
    steps: tuple[str, ...] = field(default=())
    probe: str = ""
    expect: str = ""

    @property
    def intent(self) -> str:
        """Retrieval sub-intent, e.g. ``faq/ft_actualisation``."""
        return f"faq/{self.id}"

    @property
    def response_name(self) -> str:
        """Domain response name, e.g. ``utter_faq/ft_actualisation``."""
        return f"utter_faq/{self.id}"

    @property
    def full_answer(self) -> str:
        """The text sent: the answer, plus the PLUS hint when steps exist."""
        return self.answer.strip() + (MORE_HINT if self.steps else "")


def _date(value: Any, where: str) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise KbError(f"{where}: bad date {value!r} (use YYYY-MM-DD)") from exc


def _strings(value: Any, where: str, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise KbError(f"{where}: {key} must be a list of strings")
    return tuple(v.strip() for v in value)


def _sources(value: Any, where: str) -> tuple[Source, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise KbError(f"{where}: sources must be a list")
    try:
        return tuple(parse_source(item, where) for item in value)
    except ValueError as exc:
        raise KbError(str(exc)) from exc


def parse_entry(raw: dict[str, Any], theme: str, where: str) -> Entry:
    """Build an Entry from one YAML mapping (types only; see ``validate_entries`` for rules)."""
    if not isinstance(raw, dict) or "id" not in raw:
        raise KbError(f"{where}: each entry needs an id")
    where = f"{where}:{raw['id']}"
    return Entry(
        id=str(raw["id"]),
        theme=theme,
        answer=str(raw.get("answer") or "").strip(),
        examples=_strings(raw.get("examples"), where, "examples"),
        sources=_sources(raw.get("sources"), where),
        checked_on=_date(raw.get("checked_on"), where),
        review_by=_date(raw.get("review_by"), where),
        steps=_strings(raw.get("steps"), where, "steps"),
        probe=str(raw.get("probe") or "").strip(),
        expect=str(raw.get("expect") or "").strip(),
    )


def load_file(path: Path) -> list[Entry]:
    """Entries of one kb/<theme>.yml file."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        raise KbError(f"{path.name}: expected a mapping with an 'entries' list")
    theme = str(data.get("theme") or path.stem)
    return [parse_entry(raw, theme, path.name) for raw in data["entries"]]


def load_kb(kb_dir: Path = KB_DIR) -> list[Entry]:
    """All entries of kb_dir, sorted by file then file order."""
    entries: list[Entry] = []
    for path in sorted(kb_dir.glob("*.yml")):
        entries.extend(load_file(path))
    return entries


@lru_cache(maxsize=4)
def cached_kb(kb_dir: Path = KB_DIR) -> dict[str, Entry]:
    """Entries by id, loaded once (used by the PLUS action)."""
    return {entry.id: entry for entry in load_kb(kb_dir)}


def sms_segments(text: str) -> int:
    """GSM-7 segments of a French text once transliterated by the SMS layer."""
    return segment_count(transliterate(text))


def entry_problems(entry: Entry) -> list[str]:
    """Everything wrong with one entry (empty list when it is fine)."""
    problems: list[str] = []
    name = entry.id
    if not _ID.match(name):
        problems.append(f"{name}: id must be lower_snake_case")
    if not entry.answer:
        problems.append(f"{name}: no answer")
    elif sms_segments(entry.full_answer) > MAX_SEGMENTS:
        count = sms_segments(entry.full_answer)
        problems.append(f"{name}: answer is {count} SMS segments (max {MAX_SEGMENTS})")
    if not entry.sources:
        problems.append(f"{name}: no source")
    problems.extend(source_problems(name, entry.sources))
    if entry.checked_on is None:
        problems.append(f"{name}: no checked_on date")
    if entry.review_by and entry.checked_on and entry.review_by < entry.checked_on:
        problems.append(f"{name}: review_by is before checked_on")
    if not entry.probe or not entry.expect:
        problems.append(f"{name}: needs a probe question and the expect text for the stack test")
    elif entry.expect not in entry.full_answer:
        problems.append(f"{name}: expect {entry.expect!r} is not in the answer")
    elif entry.probe.lower() in {e.lower() for e in entry.examples}:
        problems.append(f"{name}: probe must be held out (not an example)")
    if len(set(e.lower() for e in entry.examples)) < MIN_EXAMPLES:
        problems.append(f"{name}: {len(set(entry.examples))} distinct examples (min {MIN_EXAMPLES})")
    text = " ".join((entry.answer, *entry.steps))
    problems.extend(moved_addresses(name, text))
    problems.extend(
        f"{name}: amount {amount!r} has no year in its sentence (write 'tarif 2026')"
        for amount in undated_amounts(text)
    )
    if has_amount(text) and (entry.review_by is None or entry.review_by.month != 1):
        problems.append(f"{name}: states an amount, so review_by must fall in January (fees change each year)")
    problems.extend(
        f"{name}: step {i} is {sms_segments(s)} segments (max {MAX_SEGMENTS})"
        for i, s in enumerate(entry.steps, start=1)
        if sms_segments(s) > MAX_SEGMENTS
    )
    return problems


def validate_entries(entries: list[Entry]) -> list[str]:
    """Problems of the whole knowledge base: per-entry problems plus duplicate ids and examples."""
    problems: list[str] = []
    seen_ids: set[str] = set()
    seen_examples: dict[str, str] = {}
    for entry in entries:
        problems.extend(entry_problems(entry))
        if entry.id in seen_ids:
            problems.append(f"{entry.id}: duplicate id")
        seen_ids.add(entry.id)
        for example in entry.examples:
            key = example.strip().lower()
            other = seen_examples.get(key)
            if other and other != entry.id:
                problems.append(f"{entry.id}: example {example!r} also in {other}")
            seen_examples[key] = entry.id
    return problems
