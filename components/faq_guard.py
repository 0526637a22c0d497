"""FaqConfidenceGuard: a Rasa NLU component that refuses to answer an FAQ topic it is not sure of.

Place it after the ResponseSelector and the FallbackClassifier in config.yml:
``- name: components.faq_guard.FaqConfidenceGuard`` (option ``threshold``, default 0.5).
When the intent is the retrieval intent ``faq`` but the ResponseSelector's confidence in its best topic is
below the threshold, the message gets ``nlu_fallback`` on top of its intent ranking (as the
FallbackClassifier does), so a question on a topic the knowledge base lacks gets the honest "I do not know,
ask a mediator" instead of the answer of a neighbouring topic. The decision itself is plain Python
(:func:`bot.kb.abstention.faq_is_unsure`); bench/eval_nlu.py measures its effect.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY
from rasa.shared.nlu.training_data.message import Message

from bot.kb.abstention import DEFAULT_THRESHOLD, faq_is_unsure
from components.ranking import put_first

logger = logging.getLogger(__name__)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class FaqConfidenceGuard(GraphComponent, IntentClassifier):
    """Puts ``nlu_fallback`` first when the FAQ topic chosen by the ResponseSelector is too uncertain."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """``threshold``: minimum ResponseSelector confidence to answer; ``enabled`` switches it off."""
        return {"threshold": DEFAULT_THRESHOLD, "enabled": True}

    def __init__(self, config: dict[str, Any]) -> None:
        self.component_config = config

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> FaqConfidenceGuard:
        """The guard (nothing to train)."""
        return cls({**cls.get_default_config(), **config})

    def process(self, messages: list[Message]) -> list[Message]:
        """Fall back on FAQ messages whose topic confidence is below the threshold."""
        if not self.component_config.get("enabled", True):
            return messages
        threshold = float(self.component_config.get("threshold", DEFAULT_THRESHOLD))
        for message in messages:
            intent = message.get(INTENT) or {}
            selector = message.get("response_selector") or {}
            if faq_is_unsure(intent.get(INTENT_NAME_KEY), selector, threshold):
                put_first(message, DEFAULT_NLU_FALLBACK_INTENT_NAME, 1.0)
                logger.info("FAQ topic too uncertain: %s instead of faq", DEFAULT_NLU_FALLBACK_INTENT_NAME)
        return messages
