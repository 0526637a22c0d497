"""The report's figures as labelled rows (one source for the HTML tables and the CSV file)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial

from bot.activity.themes import THEMES
from bot.handoff.triage import DANGER_LABELS
from bot.reports.report import BOOKING_ACTIONS, CHANNELS, REASONS, REMINDER_ACTIONS, Report, Stats

DANGERS = DANGER_LABELS
ENDS = {"closed": "clôturés", "handed_back": "rendus à l'assistant", "cancelled": "annulés par l'habitant"}
Value = int | float | None
Getter = Callable[[Stats], Value]


@dataclass(frozen=True)
class Row:
    """One line of a section: a label and one value per period, then the total."""

    section: str
    item: str
    values: tuple[Value, ...]


def _at(counter: Callable[[Stats], Mapping[str, int]], key: str) -> Getter:
    """Getter of one key of a per-key count (0 when absent)."""
    return lambda s: counter(s).get(key, 0)


def _motive(motive: str, action: str) -> Getter:
    """Getter of one booking action's count for one motive."""
    return lambda s: s.by_motive[motive][action] if motive in s.by_motive else 0


def _keys(total: Stats, seen: set[str], order: dict[str, str] | tuple[str, ...]) -> list[str]:
    known = [k for k in order if k in seen]
    return known + sorted(k for k in seen if k not in order)


def _getters(report: Report, motive_labels: dict[str, str]) -> list[tuple[str, str, Getter]]:
    total = report.total
    rows: list[tuple[str, str, Getter]] = []
    section = "Conversations"
    for ch in _keys(total, set(total.conversations) | set(total.residents), tuple(CHANNELS)):
        rows.append((section, f"conversations {CHANNELS.get(ch, ch)}", _at(lambda s: s.conversations, ch)))
        rows.append((section, f"habitants joints {CHANNELS.get(ch, ch)}", partial(Stats.residents_count, channel=ch)))
    rows.append((section, "conversations (total)", lambda s: sum(s.conversations.values())))
    rows.append((section, "habitants joints (total)", lambda s: s.residents_count()))
    section = "Questions répondues par thème"
    for theme in _keys(total, set(total.questions), THEMES):
        rows.append((section, theme, _at(lambda s: s.questions, theme)))
    rows.append((section, "questions répondues (total)", lambda s: sum(s.questions.values())))
    rows.append((section, "messages non compris", lambda s: s.not_understood))
    section = "Passages à un médiateur"
    for reason in REASONS:
        rows.append((section, REASONS[reason], _at(lambda s: s.handoffs, reason)))
    rows.append((section, "passages (total)", lambda s: sum(s.handoffs.values())))
    rows.append((section, "attente médiane (min)", lambda s: s.wait_minutes(0.5)))
    rows.append((section, "attente 90e centile (min)", lambda s: s.wait_minutes(0.9)))
    for end, label in ENDS.items():
        rows.append((section, label, _at(lambda s: s.handoff_ends, end)))
    section = "Rendez-vous"
    for action, label in BOOKING_ACTIONS.items():
        rows.append((section, label, _at(lambda s: s.bookings, action)))
    rows.append((section, "taux d'absence (%)", lambda s: s.no_show_rate()))
    section = "Rendez-vous par motif"
    for motive in sorted(total.by_motive):
        name = motive_labels.get(motive, motive)
        for action, label in BOOKING_ACTIONS.items():
            rows.append((section, f"{name} : {label}", _motive(motive, action)))
        rows.append((section, f"{name} : taux d'absence (%)", partial(Stats.no_show_rate, motive=motive)))
    section = "Alertes danger"
    for kind in _keys(total, set(total.dangers), tuple(DANGERS)):
        rows.append((section, DANGERS.get(kind, kind), _at(lambda s: s.dangers, kind)))
    rows.append((section, "alertes danger (total)", lambda s: sum(s.dangers.values())))
    section = "Rappels d'échéances"
    for action, label in REMINDER_ACTIONS.items():
        rows.append((section, label, _at(lambda s: s.reminders, action)))
    rows.append(("Désinscriptions", "STOP reçus", lambda s: s.optouts))
    return rows


def report_rows(report: Report, motive_labels: dict[str, str] | None = None) -> list[Row]:
    """Every row of the report, values per period then the total."""
    columns = [*report.periods, report.total]
    return [
        Row(section, item, tuple(get(stats) for stats in columns))
        for section, item, get in _getters(report, motive_labels or {})
    ]


def cell(value: Value) -> str:
    """A value as shown (French decimal comma; an empty cell when there is no figure)."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    return str(value)
