"""Why a resident waits, at a glance: danger kind, themes of their last questions, a short preview, site.

Saved when the hand-off is requested (the action server sees the conversation then), read by the console's
queue and by the mediators' alert. Kept as long as the hand-off record (``pimms:handoff:triage:<sender>``).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

import redis.asyncio as aioredis

from bot.handoff.store import PREFIX, RECORD_TTL

PREVIEW_CHARS = 80


def triage_key(sender_id: str) -> str:
    """Redis key of one conversation's triage summary."""
    return f"{PREFIX}triage:{sender_id}"


def preview(text: str, limit: int = PREVIEW_CHARS) -> str:
    """The first words of a message, on one line, cut at a word boundary."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    return flat[:limit].rsplit(" ", 1)[0] + "…"


@dataclass
class Triage:
    """What the queue shows besides the reason."""

    danger: str = ""
    themes: list[str] = field(default_factory=list)
    preview: str = ""
    site: str = ""


async def save_triage(redis: aioredis.Redis, sender_id: str, triage: Triage, ttl: int = RECORD_TTL) -> None:
    """Store (or replace) the summary of the current hand-off (kept as long as the hand-off record)."""
    await redis.set(triage_key(sender_id), json.dumps(asdict(triage), ensure_ascii=False), ex=ttl)


async def load_triage(redis: aioredis.Redis, sender_id: str) -> Triage:
    """The summary, or an empty one."""
    raw = await redis.get(triage_key(sender_id))
    if not raw:
        return Triage()
    data = json.loads(raw)
    return Triage(
        danger=str(data.get("danger", "")),
        themes=[str(t) for t in data.get("themes", [])],
        preview=str(data.get("preview", "")),
        site=str(data.get("site", "")),
    )


DANGER_LABELS = {
    "suicide": "risque suicidaire",
    "medical": "urgence médicale",
    "child": "enfant en danger",
    "violence": "violences",
    "shelter": "sans abri ce soir",
    "unsure": "danger possible",
}
REASON_LABELS = {"request": "a demandé une personne", "fallback": "pas compris deux fois", "urgent": "danger"}


def why_label(reason: str, danger: str = "") -> str:
    """Why the resident waits, for mediators: ``"danger : violences"``, ``"pas compris deux fois"``."""
    if reason == "urgent" or danger:
        return "danger : " + DANGER_LABELS.get(danger, "à évaluer") if danger else "danger"
    return REASON_LABELS.get(reason, reason)
