"""Language variants of a domain response (Rasa conditional response variations on the ``language`` slot).

French is the source: the variant without a condition. A translation is a variant with the condition
``{type: slot, name: language, value: <code>}`` and metadata ``translated_on`` and ``review``. Code that answers
outside Rasa (emergency texts while paused, opted out or with Redis down) picks the same variant Rasa would.
"""

from __future__ import annotations

from typing import Any

SLOT = "language"


def language_of(variant: dict[str, Any]) -> str | None:
    """The language a variant is conditioned on (None: the French source, no condition)."""
    conditions = variant.get("condition") or []
    for condition in conditions:
        if isinstance(condition, dict) and condition.get("type") == "slot" and condition.get("name") == SLOT:
            return str(condition.get("value"))
    return None


def select(variants: list[Any], language: str = "fr") -> list[dict[str, Any]]:
    """The variants Rasa would choose from for ``language``: its translations, else the French source."""
    usable = [v for v in variants if isinstance(v, dict) and v.get("text")]
    translated = [v for v in usable if language_of(v) == language]
    return translated or [v for v in usable if not v.get("condition")]


def languages(variants: list[Any]) -> set[str]:
    """The languages a response is translated into (French, the source, not counted)."""
    return {code for v in variants if isinstance(v, dict) and (code := language_of(v)) is not None}
