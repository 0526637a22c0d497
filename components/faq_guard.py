"""FaqConfidenceGuard: a Rasa NLU component that refuses an FAQ answer it has reasons to doubt.

Place it after the intent and topic classifier and the FallbackClassifier in config.yml:
``- name: components.faq_guard.FaqConfidenceGuard`` (options ``threshold``, ``margin``, ``enabled``).
When the intent is the retrieval intent ``faq`` and either
- the classifier's confidence in its best topic is below ``threshold``, or
- the message is closer to an ``out_of_scope`` training example (uncovered public-service themes) than to
  any FAQ example (:class:`bot.kb.nearest.NearestExamples`, character n-grams),
the message gets ``nlu_fallback`` on top of its intent ranking (as the FallbackClassifier does), so a
question on a topic the knowledge base lacks gets the honest reply instead of a neighbouring topic's
answer. bench/abstention.py (``make eval``) measures the effect on held-out questions.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.kb.abstention import DEFAULT_THRESHOLD, FAQ_INTENT, faq_is_unsure
from bot.kb.nearest import NearestExamples
from components.guard import LearningGuard, intent_name, put_first

logger = logging.getLogger(__name__)
OUT_OF_SCOPE = "out_of_scope"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class FaqConfidenceGuard(LearningGuard):
    """Puts ``nlu_fallback`` first on FAQ messages with an uncertain or out-of-scope-looking topic."""

    FILE = "examples.json"
    UNTRAINED = "confidence check only"
    nearest: NearestExamples | None = None

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """``threshold``: minimum topic confidence; ``margin``: nearest-example margin; ``enabled``."""
        return {"threshold": DEFAULT_THRESHOLD, "margin": 0.0, "enabled": True}

    def learn(self, examples: list[Message]) -> dict[str, list[str]]:
        """The FAQ and out_of_scope example texts (the similarity index is rebuilt from them)."""
        groups: dict[str, list[str]] = {FAQ_INTENT: [], OUT_OF_SCOPE: []}
        for message in examples:
            intent, text = message.get(INTENT), message.get(TEXT)
            if text and intent in groups:
                groups[intent].append(text)
        return groups

    def restore(self, learned: dict[str, list[str]]) -> None:
        """Index the example texts."""
        self.nearest = NearestExamples(learned.get(FAQ_INTENT, []), learned.get(OUT_OF_SCOPE, []))

    def _doubtful(self, message: Message) -> bool:
        intent = intent_name(message)
        if intent != FAQ_INTENT:
            return False
        threshold = float(self.component_config.get("threshold", DEFAULT_THRESHOLD))
        if faq_is_unsure(intent, message.get("response_selector") or {}, threshold):
            return True
        margin = float(self.component_config.get("margin", 0.0))
        nearest = self.nearest
        return nearest is not None and nearest.looks_out_of_scope(message.get(TEXT) or "", margin)

    def check(self, message: Message) -> None:
        """Fall back on an FAQ message the guard doubts."""
        if self._doubtful(message):
            put_first(message, DEFAULT_NLU_FALLBACK_INTENT_NAME, 1.0)
            logger.info("doubtful FAQ topic: %s instead of faq", DEFAULT_NLU_FALLBACK_INTENT_NAME)
