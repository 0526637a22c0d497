"""Refusals in plain French: an HTML page for a browser page, JSON for the console's scripts and API."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

TITLES = {401: "Connexion nécessaire", 403: "Accès refusé", 404: "Introuvable"}


def wants_page(request: Request) -> bool:
    """A browser asking for a page (not /api, not a live stream, not the console's own fetch calls)."""
    if request.url.path.startswith(("/api/", "/events/")) or request.headers.get("x-requested-with") == "fetch":
        return False
    return "text/html" in request.headers.get("accept", "")


def refused(request: Request, message: str, status_code: int, session: Any = None) -> Response:
    """The refusal as a page with the console's header (``session``: the logged-in mediator), or as JSON."""
    if not wants_page(request):
        return JSONResponse({"error": message}, status_code=status_code)
    context = {
        "session": session,
        "title": TITLES.get(status_code, "Erreur"),
        "message": message[:1].upper() + message[1:],
    }
    page: Response = request.app.state.deps.templates.TemplateResponse(
        request, "error.html", context, status_code=status_code
    )
    return page
