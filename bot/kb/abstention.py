"""Abstention: when to refuse an FAQ answer, and how to score replies on questions the kb does not cover.

Plain Python (no rasa import): used by components/faq_guard.py at prediction time and by bench/eval_nlu.py.
"""

from __future__ import annotations

from typing import Any

FAQ_INTENT = "faq"
DEFAULT_THRESHOLD = 0.5
HONEST_INTENTS = frozenset({"out_of_scope", "nlu_fallback"})


def topic_confidence(selector: dict[str, Any]) -> float | None:
    """The classifier's confidence in its best FAQ topic, or None when it gave none."""
    block = selector.get(FAQ_INTENT) or selector.get("default") or {}
    response = block.get("response") or {}
    value = response.get("confidence")
    return float(value) if isinstance(value, int | float) else None


def topic_of(selector: dict[str, Any]) -> str | None:
    """The FAQ topic chosen by the classifier (``faq/<topic>`` -> ``<topic>``), or None."""
    block = selector.get(FAQ_INTENT) or selector.get("default") or {}
    key = str((block.get("response") or {}).get("intent_response_key") or "")
    return key.split("/", 1)[1] if key.startswith(FAQ_INTENT + "/") else None


def faq_is_unsure(intent: str | None, selector: dict[str, Any], threshold: float) -> bool:
    """True when the intent is ``faq`` and the topic confidence is missing or below ``threshold``."""
    if intent != FAQ_INTENT:
        return False
    confidence = topic_confidence(selector)
    return confidence is None or confidence < threshold


def outcome(intent: str | None) -> str:
    """How a reply to an uncovered question is scored: ``honest``, ``faq`` (an unrelated answer) or ``other``."""
    if intent in HONEST_INTENTS:
        return "honest"
    if intent == FAQ_INTENT:
        return "faq"
    return "other"
