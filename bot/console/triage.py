"""Triage at a glance: why each person waits, the theme of their last questions, a preview, French Paris times."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import redis.asyncio as aioredis

from bot.console.languages import MediatorLanguages, add_language
from bot.handoff.store import notes_key
from bot.handoff.triage import REASON_LABELS, load_triage, why_label

# One French sentence per hand-off step: {who} is the actor, {detail} the step's detail (reason, colleague).
SENTENCES = {
    "request": "{who} a demandé un médiateur ({detail}).",
    "escalate": "{who} a écrit un message de danger : la demande est passée en urgence.",
    "claim": "{who} a pris la conversation en charge.",
    "take_over": "{who} a repris la conversation {of_detail}.",
    "transfer": "{who} a transféré la conversation à {detail}.",
    "hand_back": "{who} a rendu la conversation à l'assistant.",
    "cancel": "{who} ne souhaite plus attendre.",
    "requeue": "La conversation est revenue dans la file : {detail} ne répondait plus.",
    "close": "{who} a clos la conversation.",
    "resumed": "L'assistant a repris la conversation.",
}
WITHOUT_DETAIL = {
    "take_over": "{who} a repris la conversation (superviseur).",
    "request": "{who} a demandé un médiateur.",
}
ACTORS = {"resident": "L'habitant", "assistant": "L'assistant", "console": "La console", "system": "La console"}
DETAILS = dict(REASON_LABELS)


def hour(moment: datetime) -> str:
    """``18h02``."""
    return f"{moment.hour}h{moment.minute:02d}"


def when_label(at: float, now: float, tz: ZoneInfo) -> str:
    """``"à l'instant"``, ``"il y a 14 min"``, ``"aujourd'hui 9h05"``, ``"hier 18h02"``, ``"23/11 à 18h02"``."""
    moment, current = datetime.fromtimestamp(at, tz), datetime.fromtimestamp(now, tz)
    minutes = int((now - at) // 60)
    if 0 <= minutes < 1:
        return "à l'instant"
    if 0 < minutes < 60:
        return f"il y a {minutes} min"
    if moment.date() == current.date():
        return f"aujourd'hui {hour(moment)}"
    if moment.date() == current.date() - timedelta(days=1):
        return f"hier {hour(moment)}"
    return f"{moment.strftime('%d/%m')} à {hour(moment)}"


def iso_timestamp(text: str) -> float:
    """Epoch seconds of an ISO 8601 time (UTC when it carries no offset)."""
    moment = datetime.fromisoformat(text)
    return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).timestamp()


def history_line(entry: dict[str, Any], now: float, tz: ZoneInfo) -> str:
    """A hand-off step as a French sentence with its Paris time: ``hier 18h02 : alice a clos la conversation.``"""
    at = iso_timestamp(entry["at"])
    action, detail = entry["action"], entry.get("detail") or ""
    who = ACTORS.get(entry["actor"], entry["actor"])
    template = SENTENCES.get(action, "{who} : " + action + ".")
    if not detail:
        template = WITHOUT_DETAIL.get(action, template)
    label = DETAILS.get(detail, detail)
    of_detail = ("d'" if label[:1].lower() in "aeiouyéèêà" else "de ") + label
    sentence = template.format(who=who, detail=label, of_detail=of_detail)
    return f"{when_label(at, now, tz)} : {sentence}"


async def enrich(redis: aioredis.Redis, rows: list[dict[str, Any]], now: float, tz: ZoneInfo) -> list[dict[str, Any]]:
    """Add why, themes, preview, since (French, Paris), the number of earlier notes, the resident's language and
    the mediators who speak it to queue rows."""
    speakers = await MediatorLanguages(redis).all()
    for row in rows:
        await add_language(redis, row, speakers)
        triage = await load_triage(redis, row["sender_id"])
        row["why"] = why_label(row["reason"], triage.danger)
        row["themes"] = ", ".join(triage.themes)  # nothing rather than "thème non précisé" on every row
        row["preview"] = triage.preview
        row["since"] = when_label(row["requested_at"], now, tz)
        row["note_count"] = int(await redis.llen(notes_key(row["sender_id"])))
    return rows


async def conversation_extras(redis: aioredis.Redis, view: dict[str, Any], now: float, tz: ZoneInfo) -> None:
    """French times on the transcript, notes and history of a conversation view."""
    await enrich(redis, [view], now, tz)
    for line in view.get("lines", []):
        line["when"] = when_label(line["at"], now, tz) if line.get("at") else ""
    for note in view.get("notes", []):
        note["when"] = when_label(iso_timestamp(note["at"]), now, tz) if note.get("at") else ""
    view["history_fr"] = [history_line(h, now, tz) for h in view.get("history", [])]
