"""Appointment motives (reasons), with durations and papers to bring, from config/motives.yml."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.language.texts import localize
from bot.settings import PROJECT_ROOT
from bot.text import normalize

DEFAULT_MOTIVES_FILE = PROJECT_ROOT / "config" / "motives.yml"


@dataclass(frozen=True)
class Motive:
    """A reason for an appointment."""

    id: str
    label: str
    short_label: str
    duration_minutes: int
    papers: tuple[str, ...]
    keywords: tuple[str, ...] = ()

    def papers_text(self, language: str = "fr") -> str:
        """Papers as one phrase, e.g. ``pièce d'identité, courriers reçus``; in the resident's language from
        translations/motives_config.yml (issue 23)."""
        return ", ".join(localize(paper, language) for paper in self.papers)

    def short_label_in(self, language: str = "fr") -> str:
        """The short label in the resident's language (translations/motives_config.yml)."""
        return localize(self.short_label, language)


@dataclass(frozen=True)
class BookingRules:
    """Global booking rules."""

    granularity_minutes: int = 30
    lead_time_minutes: int = 120
    horizon_days: int = 28
    max_active_per_user: int = 2


@dataclass(frozen=True)
class MotiveCatalog:
    """All motives plus the booking rules."""

    motives: tuple[Motive, ...]
    rules: BookingRules = BookingRules()

    def get(self, motive_id: str) -> Motive | None:
        """A motive by id."""
        return next((m for m in self.motives if m.id == motive_id), None)

    def by_number(self, number: int) -> Motive | None:
        """A motive by its 1-based position in the menu."""
        return self.motives[number - 1] if 1 <= number <= len(self.motives) else None

    def find(self, text: str) -> Motive | None:
        """The motive named in free text (id, label or keyword), accent- and case-insensitive."""
        needle = f" {normalize(text)} "
        best: tuple[int, Motive] | None = None
        for motive in self.motives:
            names = (motive.id.replace("_", " "), motive.short_label, *motive.keywords)
            for name in names:
                key = normalize(name)
                if key and f" {key} " in needle and (best is None or len(key) > best[0]):
                    best = (len(key), motive)
        return best[1] if best else None

    def menu(self, language: str = "fr") -> str:
        """Numbered menu of motives, one per line, in the resident's language."""
        return "\n".join(f"{i} : {m.short_label_in(language)}" for i, m in enumerate(self.motives, start=1))


def load_motives(path: Path = DEFAULT_MOTIVES_FILE) -> MotiveCatalog:
    """Load and validate the motives file."""
    with path.open(encoding="utf-8") as handle:
        raw = yaml.safe_load(handle) or {}
    rules = BookingRules(
        granularity_minutes=int(raw.get("granularity_minutes", 30)),
        lead_time_minutes=int(raw.get("lead_time_minutes", 120)),
        horizon_days=int(raw.get("horizon_days", 28)),
        max_active_per_user=int(raw.get("max_active_per_user", 2)),
    )
    motives = []
    for item in raw.get("motives") or ():
        motive = Motive(
            id=str(item["id"]),
            label=str(item["label"]),
            short_label=str(item.get("short_label") or item["label"]),
            duration_minutes=int(item["duration_minutes"]),
            papers=tuple(str(p) for p in item.get("papers") or ()),
            keywords=tuple(str(k) for k in item.get("keywords") or ()),
        )
        if motive.duration_minutes <= 0 or motive.duration_minutes % rules.granularity_minutes:
            raise ValueError(f"{path}: motive {motive.id} duration must be a multiple of the granularity")
        if not motive.papers:
            raise ValueError(f"{path}: motive {motive.id} lists no papers")
        motives.append(motive)
    if not motives:
        raise ValueError(f"{path}: no motive configured")
    if len({m.id for m in motives}) != len(motives):
        raise ValueError(f"{path}: duplicate motive ids")
    return MotiveCatalog(motives=tuple(motives), rules=rules)
