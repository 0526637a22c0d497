"""GET /non-remis: messages that finally could not be delivered (newest first, with their count)."""

from __future__ import annotations

from datetime import datetime, timezone

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from bot.console.agenda import day_deps
from bot.console.auth import Session
from bot.console.routes import api, deps, page, render
from bot.identity import describe, label_of
from bot.outbound.dead_letters import DeadLetters


async def dead_letters_view(request: Request) -> dict[str, object]:
    """The undelivered messages as the page and the JSON show them (numbers masked)."""
    letters, tz = DeadLetters(deps(request).redis), day_deps(request).sites.tz
    rows = [
        {
            "id": letter.id,
            "when": datetime.fromtimestamp(letter.at, timezone.utc).astimezone(tz).strftime("%d/%m %H:%M"),
            "who": describe(letter.sender_id),
            "channel": label_of(letter.channel),
            "text": letter.text,
            "detail": letter.detail,
        }
        for letter in await letters.list()
    ]
    return {"count": await letters.count(), "letters": rows}


@page
async def dead_letters_page(request: Request, session: Session) -> Response:
    """The page."""
    return render(request, "dead_letters.html", {"session": session, **await dead_letters_view(request)})


@api
async def dead_letters_json(request: Request, session: Session) -> Response:
    """The same as JSON."""
    return JSONResponse(await dead_letters_view(request))
