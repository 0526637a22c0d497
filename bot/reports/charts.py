"""Charts of the activity report, drawn on the server as SVG (matplotlib, Agg backend, no display needed)."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")  # before pyplot: never look for a display

import matplotlib.pyplot as plt  # noqa: E402

from bot.activity.themes import THEMES  # noqa: E402
from bot.reports.report import BOOKING_ACTIONS, REASONS, Report  # noqa: E402

COLOURS = ("#1f5f8b", "#e07b39", "#c0392b", "#3c8d5a", "#7d5ba6", "#8c8c8c")


def _svg(figure: plt.Figure) -> str:
    """The figure as an inline ``<svg>`` element (no XML prolog), then freed."""
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "pimms"}):
        figure.savefig(buffer, format="svg", bbox_inches="tight")
    plt.close(figure)
    text = buffer.getvalue()
    return text[text.index("<svg") :]


def questions_chart(report: Report) -> str:
    """Horizontal bars: questions answered per theme over the whole report."""
    themes = [t for t in THEMES if report.total.questions[t]]
    if not themes:
        figure, axes = plt.subplots(figsize=(6.5, 1.2))
        axes.axis("off")
        axes.set_title("Questions répondues par thème")
        axes.text(0.5, 0.4, "Aucune question sur la période.", ha="center", va="center")
        return _svg(figure)
    values = [report.total.questions[t] for t in themes]
    figure, axes = plt.subplots(figsize=(6.5, 0.45 * len(themes) + 1.2))
    axes.barh(themes[::-1], values[::-1], color=COLOURS[0])
    axes.set_title("Questions répondues par thème")
    axes.xaxis.get_major_locator().set_params(integer=True)
    for spine in ("top", "right"):
        axes.spines[spine].set_visible(False)
    return _svg(figure)


def _stacked(report: Report, title: str, series: dict[str, list[int]]) -> str:
    labels = [p.label.replace("semaine du ", "sem. ") for p in report.periods]
    figure, axes = plt.subplots(figsize=(max(6.5, 0.9 * len(labels) + 2), 3.2))
    bottom = [0] * len(labels)
    for colour, (name, values) in zip(COLOURS, series.items(), strict=False):
        axes.bar(labels, values, bottom=bottom, label=name, color=colour)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    axes.set_title(title)
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.legend(loc="upper left", bbox_to_anchor=(1, 1), frameon=False)
    axes.tick_params(axis="x", labelrotation=30)
    for spine in ("top", "right"):
        axes.spines[spine].set_visible(False)
    return _svg(figure)


def handoffs_chart(report: Report) -> str:
    """Stacked bars per period: hand-offs by reason."""
    series = {label: [p.handoffs[key] for p in report.periods] for key, label in REASONS.items()}
    return _stacked(report, "Passages à un médiateur", series)


def bookings_chart(report: Report) -> str:
    """Stacked bars per period: appointments attended, no-shows, cancelled."""
    keys = ("attended", "no_show", "cancelled")
    series = {BOOKING_ACTIONS[k]: [p.bookings[k] for p in report.periods] for k in keys}
    return _stacked(report, "Rendez-vous", series)


def all_charts(report: Report) -> list[str]:
    """Every chart of the report, in page order."""
    return [questions_chart(report), handoffs_chart(report), bookings_chart(report)]
