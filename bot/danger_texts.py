"""The emergency texts of domain/danger.yml, for code that answers outside Rasa (paused conversations)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

DANGER_DOMAIN = Path(__file__).resolve().parent.parent / "domain" / "danger.yml"


@lru_cache(maxsize=4)
def _responses(path: Path) -> dict[str, list[str]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {
        name: [str(v["text"]) for v in variants if isinstance(v, dict) and v.get("text")]
        for name, variants in (data.get("responses") or {}).items()
    }


def danger_texts(kind: str, path: Path = DANGER_DOMAIN) -> list[str]:
    """The messages Rasa sends for this kind of danger (``utter_danger_<kind>``), first variant."""
    texts = _responses(path).get(f"utter_danger_{kind}") or _responses(path).get("utter_danger_unsure") or []
    return texts[:1]
