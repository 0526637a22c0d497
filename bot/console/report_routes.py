"""The activity report in the console, and the same report as a self-contained HTML file or CSV to download."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.console.agenda import day_deps
from bot.console.auth import Session
from bot.console.routes import page, render
from bot.reports.render import report_body, report_csv, report_html
from bot.reports.report import Period, Report, ReportError, fetch_report, motive_labels

# The charts are matplotlib SVG with style attributes: this page allows inline styles (never scripts).
REPORT_CSP = "default-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; form-action 'self'"


def _params(request: Request) -> tuple[date, date, Period, str]:
    deps = day_deps(request)
    today = deps.now().astimezone(deps.sites.tz).date()
    query = request.query_params
    start = date.fromisoformat(query["from"]) if query.get("from") else today.replace(day=1)
    end = date.fromisoformat(query["to"]) if query.get("to") else today
    period: Period = "month" if query.get("period") == "month" else "week"
    return start, end, period, query.get("site", "")


async def _report(request: Request) -> tuple[Report | None, str, dict[str, Any]]:
    deps = day_deps(request)
    try:
        start, end, period, site = _params(request)
        report = await fetch_report(deps.activity, deps.sites, start, end, period, site)
    except (ValueError, ReportError) as exc:
        today = deps.now().astimezone(deps.sites.tz).date()
        form = {"from": today - timedelta(days=27), "to": today, "period": "week", "site": ""}
        return None, f"Rapport impossible : {exc}", form
    form = {"from": start, "to": end, "period": period, "site": site}
    return report, "", form


@page
async def report_page(request: Request, session: Session) -> Response:
    """GET /rapport?from=&to=&site=&period=: figures and charts for the chosen period."""
    report, error, form = await _report(request)
    labels = motive_labels(day_deps(request).catalog)
    body = Markup(report_body(report, labels)) if report else ""  # noqa: S704 (our autoescaping template)
    query = request.url.query
    response = render(
        request,
        "report.html",
        {
            "session": session,
            "body": body,
            "error": error,
            "form": form,
            "sites": day_deps(request).sites.sites,
            "query": query,
        },
        400 if error else 200,
    )
    response.headers["content-security-policy"] = REPORT_CSP
    return response


@page
async def report_file(request: Request, session: Session) -> Response:
    """GET /rapport/fichier?...&format=html|csv: the report to keep or send (no console needed to read it)."""
    report, error, _ = await _report(request)
    if report is None:
        return Response(error, status_code=400, media_type="text/plain; charset=utf-8")
    labels = motive_labels(day_deps(request).catalog)
    name = f"rapport-pimms-{report.start.isoformat()}-{report.end.isoformat()}"
    if request.query_params.get("format") == "csv":
        body, media, name = report_csv(report, labels), "text/csv; charset=utf-8", name + ".csv"
    else:
        body, media, name = report_html(report, labels), "text/html; charset=utf-8", name + ".html"
    return Response(body, media_type=media, headers={"content-disposition": f'attachment; filename="{name}"'})


def report_routes() -> list[Route]:
    """Routes of the report."""
    return [
        Route("/rapport", report_page, methods=["GET"]),
        Route("/rapport/fichier", report_file, methods=["GET"]),
    ]
