"""Console pages for residents' data: the access log, export and erasure (supervisors only).

Every mediator's opening, claim, reply and note of a conversation is recorded in the access log
(``bot.console.access``); supervisors read it at ``/donnees`` and on each conversation page.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from datetime import timezone
from urllib.parse import urlencode

from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.clock import system_clock
from bot.console.access import record, rows
from bot.console.auth import Session
from bot.console.notices import text_of
from bot.console.roles import require_supervisor
from bot.console.routes import action, page, render
from bot.identity import InvalidAddress
from bot.privacy.access_log import AccessLog
from bot.privacy.erase import Eraser
from bot.privacy.export import Exporter
from bot.privacy.gate import LATE_SWEEP_SECONDS
from bot.privacy.residents import resolve

CONFIRM_WORD = "EFFACER"


@dataclass
class PrivacyDeps:
    """What the privacy pages use (built in the console's lifespan)."""

    access_log: AccessLog
    exporter: Exporter
    eraser: Eraser


def privacy(request: Request) -> PrivacyDeps:
    """The console's privacy dependencies."""
    return request.app.state.privacy  # type: ignore[no-any-return]


@page
@require_supervisor
async def data_page(request: Request, session: Session) -> Response:
    """GET /donnees: the access log of the last 30 days and the export / erase form."""
    entries = await privacy(request).access_log.recent(days=30)
    context = {
        "session": session,
        "entries": rows(entries),
        "message": text_of(request.query_params, "ok"),
        "error": text_of(request.query_params, "erreur"),
        "confirm_word": CONFIRM_WORD,
    }
    return render(request, "data.html", context)


def _target(request: Request, form: dict[str, str]) -> str:
    """The resident of the form (a phone number, chat id...) or of the conversation page."""
    if "sender_id" in request.path_params:
        return str(request.path_params["sender_id"])
    return resolve(form.get("resident", ""))


def _back(**codes: str | int) -> Response:
    """Back to the data page with a message code (``ok=`` or ``erreur=``) and its counts, never text."""
    query = "?" + urlencode(codes) if codes else ""
    return RedirectResponse("/donnees" + query, status_code=303)


@action
@require_supervisor
async def export(request: Request, session: Session, form: dict[str, str]) -> Response:
    """POST /donnees/export or /c/{sender_id}/export: download everything held about a resident."""
    try:
        sender_id = _target(request, form)
    except InvalidAddress:
        return _back(erreur="bad_id")
    document = await privacy(request).exporter.export(sender_id, system_clock()().astimezone(timezone.utc))
    await record(request, session.name, "export", sender_id)
    body = json.dumps(document, ensure_ascii=False, indent=2)
    return Response(
        body,
        media_type="application/json; charset=utf-8",
        headers={"content-disposition": 'attachment; filename="export-donnees.json"'},
    )


@action
@require_supervisor
async def erase(request: Request, session: Session, form: dict[str, str]) -> Response:
    """POST /donnees/erase or /c/{sender_id}/erase: erase a resident (the word EFFACER typed to confirm)."""
    if form.get("confirm", "").strip().upper() != CONFIRM_WORD:
        return _back(erreur="confirm_erase")
    try:
        sender_id = _target(request, form)
    except InvalidAddress:
        return _back(erreur="bad_id")
    report = await privacy(request).eraser.erase(sender_id)
    await record(request, session.name, "erase", sender_id)
    code = "erased_stop" if report.opted_out else "erased"
    response = _back(ok=code, n=report.keys_deleted, r=report.bookings_deleted)
    # once more a moment later: a console tab reading the conversation at erasure time may have re-created it
    response.background = BackgroundTask(_late_sweep, privacy(request).eraser, sender_id)
    return response


async def _late_sweep(eraser: Eraser, sender_id: str) -> None:
    await asyncio.sleep(LATE_SWEEP_SECONDS)
    await eraser.sweep(sender_id)
