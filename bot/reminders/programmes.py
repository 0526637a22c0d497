"""The reminder programmes, read from ``config/reminders.yml`` (facts with their official sources)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any

import yaml

CONFIG_FILE = Path(__file__).resolve().parents[2] / "config" / "reminders.yml"


class Programme(str, Enum):
    """What a subscription reminds of."""

    ACTUALISATION = "actualisation"
    QUARTERLY = "quarterly"
    RESIDENCE_PERMIT = "residence_permit"
    ONE_OFF = "one_off"


@dataclass(frozen=True)
class Source:
    """An official text a rule rests on."""

    title: str
    url: str
    consulted: date
    says: str


@dataclass(frozen=True)
class WindowOverride:
    """One month whose actualisation window differs from the rule (from the official calendar)."""

    opens: date
    closes: date


@dataclass(frozen=True)
class ActualisationRules:
    open_day: int
    open_day_by_month: dict[int, int]
    close_day: int
    last_call_days_before_close: int
    consent_months: int
    overrides: dict[str, WindowOverride] = field(default_factory=dict)


@dataclass(frozen=True)
class QuarterlyRules:
    interval_months: int
    remind_day: int
    consent_months: int


@dataclass(frozen=True)
class PermitRules:
    opens_days_before: int
    closes_days_before: int
    second_days_after_opening: int
    last_days_before_close: int
    max_days_ahead: int


@dataclass(frozen=True)
class Programmes:
    """Every programme's rules, sources and what is not confirmed."""

    review_by: date
    actualisation: ActualisationRules
    quarterly: QuarterlyRules
    permit: PermitRules
    one_off_max_days_ahead: int
    labels: dict[Programme, str]
    sources: dict[Programme, tuple[Source, ...]]
    unconfirmed: dict[Programme, tuple[str, ...]]
    offer_topics: dict[str, Programme] = field(default_factory=dict)


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def parse(data: dict[str, Any]) -> Programmes:
    """Programmes from the YAML document (validated: a malformed file fails at start-up, not at 3 a.m.)."""
    progs = data["programmes"]
    act, qua, per = progs["actualisation"], progs["quarterly"], progs["residence_permit"]
    overrides = {
        str(month): WindowOverride(_day(v["opens"]), _day(v["closes"]))
        for month, v in (act.get("calendar_overrides") or {}).items()
    }
    for month, window in overrides.items():
        if not window.opens < window.closes:
            raise ValueError(f"actualisation override {month}: opens must be before closes")
    rules = ActualisationRules(
        int(act["open_day"]),
        {int(k): int(v) for k, v in (act.get("open_day_by_month") or {}).items()},
        int(act["close_day"]),
        int(act["last_call_days_before_close"]),
        int(act["consent_months"]),
        overrides,
    )
    permit = PermitRules(
        int(per["window_opens_days_before_expiry"]),
        int(per["window_closes_days_before_expiry"]),
        int(per["second_reminder_days_after_opening"]),
        int(per["last_reminder_days_before_close"]),
        int(per["max_days_ahead"]),
    )
    if not permit.opens_days_before > permit.closes_days_before + permit.last_days_before_close:
        raise ValueError("residence_permit: the window must be longer than the last reminder's notice")
    return Programmes(
        review_by=_day(data["review_by"]),
        actualisation=rules,
        quarterly=QuarterlyRules(int(qua["interval_months"]), int(qua["remind_day"]), int(qua["consent_months"])),
        permit=permit,
        one_off_max_days_ahead=int(progs["one_off"]["max_days_ahead"]),
        labels={p: str(progs[p.value]["label"]) for p in Programme},
        sources={
            p: tuple(
                Source(s["title"], s["url"], _day(s["consulted"]), s.get("says", ""))
                for s in progs[p.value].get("sources") or []
            )
            for p in Programme
        },
        unconfirmed={p: tuple(progs[p.value].get("unconfirmed") or ()) for p in Programme},
        offer_topics={str(t): Programme(p) for t, p in (data.get("offer_after_topics") or {}).items()},
    )


def load_programmes(path: Path = CONFIG_FILE) -> Programmes:
    """Read and validate the programmes file."""
    return parse(yaml.safe_load(path.read_text(encoding="utf-8")))
