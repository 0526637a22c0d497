"""Triage at a glance: why each person waits, the theme of their last questions, a preview, French Paris times."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import redis.asyncio as aioredis

from bot.handoff.store import notes_key
from bot.handoff.triage import REASON_LABELS, load_triage, why_label

ACTIONS = {
    "request": "demande un médiateur",
    "escalate": "passe en urgence",
    "claim": "prise en charge",
    "take_over": "reprise par un superviseur",
    "transfer": "transférée à",
    "hand_back": "rendue à l'assistant",
    "cancel": "l'habitant ne souhaite plus attendre",
    "close": "close",
    "resumed": "l'assistant a repris",
}
ACTORS = {"resident": "l'habitant", "assistant": "l'assistant", "console": "la console"}
DETAILS = {**REASON_LABELS, "urgent": "danger"}


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
    """A hand-off transition in French, with its Paris time."""
    at = iso_timestamp(entry["at"])
    actor = ACTORS.get(entry["actor"], entry["actor"])
    action = ACTIONS.get(entry["action"], entry["action"])
    detail = DETAILS.get(entry.get("detail") or "", entry.get("detail") or "")
    text = f"{when_label(at, now, tz)} · {actor} · {action}"
    return f"{text} {detail}".rstrip() if detail else text


async def enrich(redis: aioredis.Redis, rows: list[dict[str, Any]], now: float, tz: ZoneInfo) -> list[dict[str, Any]]:
    """Add why, themes, preview, since (French, Paris) and the number of earlier notes to queue rows."""
    for row in rows:
        triage = await load_triage(redis, row["sender_id"])
        row["why"] = why_label(row["reason"], triage.danger)
        row["themes"] = ", ".join(triage.themes) or "thème non précisé"
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
