"""The emergency texts of domain/danger.yml, for code that answers outside Rasa (paused conversations, opted-out
senders, Redis down), in the resident's language (the variant Rasa would pick on the ``language`` slot)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.response_variants import select

DANGER_DOMAIN = Path(__file__).resolve().parent.parent / "domain" / "danger.yml"


@lru_cache(maxsize=4)
def _responses(path: Path) -> dict[str, list[Any]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {name: list(variants or []) for name, variants in (data.get("responses") or {}).items()}


def danger_texts(kind: str, path: Path = DANGER_DOMAIN, language: str = "fr") -> list[str]:
    """The messages Rasa sends for this kind of danger (``utter_danger_<kind>``) in ``language``, first variant."""
    responses = _responses(path)
    variants = responses.get(f"utter_danger_{kind}") or responses.get("utter_danger_unsure") or []
    return [str(v["text"]) for v in select(variants, language)][:1]
