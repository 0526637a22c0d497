"""Recording mediators' accesses from the console's handlers, and showing them (bot.privacy.access_log)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from bot.local_time import local_label

ACTION_LABELS = {
    "open": "a ouvert",
    "read": "a lu (API)",
    "stream": "a suivi en direct",
    "lookup": "a fait une recherche par numéro :",
    "claim": "a pris en charge",
    "take_over": "a repris",
    "transfer": "a transféré",
    "hand_back": "a rendu à l'assistant",
    "close": "a clôturé",
    "reply": "a répondu dans",
    "note": "a écrit une note dans",
    "reminder": "a programmé un rappel dans",
    "export": "a exporté",
    "erase": "a effacé",
}


def _log(request: Request) -> Any:
    deps = getattr(request.app.state, "privacy", None)
    return None if deps is None else deps.access_log


async def record(request: Request, mediator: str, kind: str, sender_id: str) -> None:
    """Note one access (a console built without the privacy dependencies records nothing)."""
    log = _log(request)
    if log is not None:
        await log.record(mediator, kind, sender_id)


def rows(entries: list[Any]) -> list[dict[str, str]]:
    """Access entries as table rows (pseudonyms only)."""
    return [
        {
            "at": local_label(e.at, seconds=True),  # Paris time, as every time in the console
            "mediator": e.mediator,
            "action": ACTION_LABELS.get(e.action, e.action),
            "conversation": f"{e.channel} #{e.conversation}",
        }
        for e in entries
    ]


async def conversation_accesses(request: Request, sender_id: str, days: int = 30) -> list[dict[str, str]]:
    """One conversation's accesses of the last ``days`` days, newest first."""
    log = _log(request)
    return [] if log is None else rows(await log.recent(days=days, sender_id=sender_id))
