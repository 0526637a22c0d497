"""FaqConfidenceGuard: a Rasa NLU component that refuses an FAQ answer it has reasons to doubt.

Place it after the ResponseSelector and the FallbackClassifier in config.yml:
``- name: components.faq_guard.FaqConfidenceGuard`` (options ``threshold``, ``margin``, ``enabled``).
When the intent is the retrieval intent ``faq`` and either
- the ResponseSelector's confidence in its best topic is below ``threshold``, or
- the message is closer to an ``out_of_scope`` training example (uncovered public-service themes) than to
  any FAQ example (:class:`bot.kb.nearest.NearestExamples`, character n-grams),
the message gets ``nlu_fallback`` on top of its intent ranking (as the FallbackClassifier does), so a
question on a topic the knowledge base lacks gets the honest reply instead of a neighbouring topic's
answer. bench/abstention.py (``make eval``) measures the effect on held-out questions.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.kb.abstention import DEFAULT_THRESHOLD, FAQ_INTENT, faq_is_unsure
from bot.kb.nearest import NearestExamples
from components.ranking import put_first

logger = logging.getLogger(__name__)
FILE = "examples.json"
OUT_OF_SCOPE = "out_of_scope"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class FaqConfidenceGuard(GraphComponent, IntentClassifier):
    """Puts ``nlu_fallback`` first on FAQ messages with an uncertain or out-of-scope-looking topic."""

    @classmethod
    def required_components(cls) -> list[type]:
        """None for training; at prediction time config.yml places it after the ResponseSelector."""
        return []

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """``threshold``: minimum topic confidence; ``margin``: nearest-example margin; ``enabled``."""
        return {"threshold": DEFAULT_THRESHOLD, "margin": 0.0, "enabled": True}

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        nearest: NearestExamples | None = None,
    ) -> None:
        self.component_config = config
        self._model_storage = model_storage
        self._resource = resource
        self.nearest = nearest

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> FaqConfidenceGuard:
        """A new guard, not yet trained."""
        return cls({**cls.get_default_config(), **config}, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        """Keep the FAQ and out_of_scope example texts (the similarity index is rebuilt at load)."""
        groups: dict[str, list[str]] = {FAQ_INTENT: [], OUT_OF_SCOPE: []}
        for message in training_data.training_examples:
            intent, text = message.get(INTENT), message.get(TEXT)
            if text and intent in groups:
                groups[intent].append(text)
        self.nearest = NearestExamples(groups[FAQ_INTENT], groups[OUT_OF_SCOPE])
        with self._model_storage.write_to(self._resource) as directory:
            (directory / FILE).write_text(json.dumps(groups, ensure_ascii=False), encoding="utf-8")
        return self._resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> FaqConfidenceGuard:
        """The guard with its examples (confidence check only, with a warning, if there are none)."""
        nearest = None
        try:
            with model_storage.read_from(resource) as directory:
                groups = json.loads((directory / FILE).read_text(encoding="utf-8"))
            nearest = NearestExamples(groups.get(FAQ_INTENT, []), groups.get(OUT_OF_SCOPE, []))
        except (ValueError, FileNotFoundError):
            logger.warning("FaqConfidenceGuard: no examples in the model, confidence check only")
        return cls({**cls.get_default_config(), **config}, model_storage, resource, nearest)

    def _doubtful(self, message: Message, threshold: float, margin: float) -> bool:
        intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
        if intent != FAQ_INTENT:
            return False
        if faq_is_unsure(intent, message.get("response_selector") or {}, threshold):
            return True
        nearest = self.nearest
        return nearest is not None and nearest.looks_out_of_scope(message.get(TEXT) or "", margin)

    def process(self, messages: list[Message]) -> list[Message]:
        """Fall back on FAQ messages the guard doubts."""
        if not self.component_config.get("enabled", True):
            return messages
        threshold = float(self.component_config.get("threshold", DEFAULT_THRESHOLD))
        margin = float(self.component_config.get("margin", 0.0))
        for message in messages:
            if self._doubtful(message, threshold, margin):
                put_first(message, DEFAULT_NLU_FALLBACK_INTENT_NAME, 1.0)
                logger.info("doubtful FAQ topic: %s instead of faq", DEFAULT_NLU_FALLBACK_INTENT_NAME)
        return messages
