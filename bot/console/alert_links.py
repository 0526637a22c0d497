"""``/o/{token}``: the opaque link in a mediators' alert opens the conversation (login required)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.console.auth import Session
from bot.console.refs import conversation_ref, ref_key
from bot.console.routes import deps, page, render
from bot.handoff.links import resolve_token


@page
async def open_link(request: Request, session: Session) -> Response:
    """GET /o/{token}: resolve the token, then show the conversation (404 when unknown or expired)."""
    sender_id = await resolve_token(deps(request).redis, request.path_params["token"])
    if sender_id is None:
        return render(request, "missing.html", {"session": session}, 404)
    ref = conversation_ref(await ref_key(deps(request).redis), sender_id)  # never the number in a URL
    return RedirectResponse(f"/c/{ref}", status_code=303)


def link_routes() -> list[Route]:
    """Routes of this module."""
    return [Route("/o/{token}", open_link, methods=["GET"])]
