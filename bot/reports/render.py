"""The activity report as a self-contained HTML file (inline CSS and SVG charts) and as CSV."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from bot.reports.charts import all_charts
from bot.reports.report import Report
from bot.reports.tables import Row, cell, report_rows

TEMPLATES = Path(__file__).resolve().parent / "templates"


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html"]))
    env.filters["cell"] = cell
    return env


def sections(rows: list[Row]) -> list[tuple[str, list[Row]]]:
    """Rows grouped by section, in order."""
    grouped: dict[str, list[Row]] = {}
    for row in rows:
        grouped.setdefault(row.section, []).append(row)
    return list(grouped.items())


def report_context(report: Report, motive_labels: dict[str, str] | None = None) -> dict[str, object]:
    """What the report template shows (also used by the console page)."""
    return {
        "report": report,
        "columns": [p.label for p in report.periods] + ["total"],
        "sections": sections(report_rows(report, motive_labels)),
        # matplotlib's own SVG, built from numbers and fixed labels only: safe to embed as markup.
        "charts": [Markup(svg) for svg in all_charts(report)],  # noqa: S704
    }


def report_body(report: Report, motive_labels: dict[str, str] | None = None) -> str:
    """The report's body (title, charts, tables) for the console page."""
    return _environment().get_template("report_body.html").render(report_context(report, motive_labels))


def report_html(report: Report, motive_labels: dict[str, str] | None = None) -> str:
    """A complete HTML document that needs nothing else (no script, no external file)."""
    body = Markup(report_body(report, motive_labels))  # noqa: S704 (rendered by our autoescaping template)
    return _environment().get_template("report_file.html").render(report=report, body=body)


def report_csv(report: Report, motive_labels: dict[str, str] | None = None) -> str:
    """CSV: section, item, one column per period, total (decimal point, empty when no figure)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["section", "indicateur", *[p.label for p in report.periods], "total"])
    for row in report_rows(report, motive_labels):
        writer.writerow([row.section, row.item, *["" if v is None else v for v in row.values]])
    return out.getvalue()
