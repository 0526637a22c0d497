"""UnknownWordsGuard: a Rasa NLU component that sends messages made of unknown words to the fallback.

Place it after the FallbackClassifier in config.yml: ``- name: components.unknown_words.UnknownWordsGuard``.
It learns the vocabulary of the training examples; at prediction time, a message none of whose words is
known (even misspelt, see :mod:`bot.unknown_words`) gets ``nlu_fallback`` on top of its intent ranking,
exactly as the FallbackClassifier does, so the assistant says it did not understand instead of guessing.
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
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.unknown_words import Vocabulary
from components.ranking import put_first

logger = logging.getLogger(__name__)
FILE = "vocabulary.json"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class UnknownWordsGuard(GraphComponent, IntentClassifier):
    """Puts ``nlu_fallback`` first when no word of the message is (nearly) in the training vocabulary."""

    @classmethod
    def required_components(cls) -> list[type]:
        """None for training (the vocabulary comes from the training data alone).

        At prediction time it must follow the intent classifiers: config.yml places it after them.
        """
        return []

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """``enabled`` can switch the guard off."""
        return {"enabled": True}

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        vocabulary: Vocabulary | None = None,
    ) -> None:
        self.component_config = config
        self._model_storage = model_storage
        self._resource = resource
        self.vocabulary = vocabulary

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> UnknownWordsGuard:
        """A new, untrained guard."""
        return cls({**cls.get_default_config(), **config}, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        """Learn the vocabulary of the training examples and persist it."""
        texts = [m.get(TEXT) for m in training_data.training_examples if m.get(TEXT)]
        self.vocabulary = Vocabulary.from_texts(texts)
        with self._model_storage.write_to(self._resource) as directory:
            (directory / FILE).write_text(json.dumps(self.vocabulary.words), encoding="utf-8")
        return self._resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> UnknownWordsGuard:
        """The guard with its persisted vocabulary (inactive, with a warning, if there is none)."""
        vocabulary = None
        try:
            with model_storage.read_from(resource) as directory:
                vocabulary = Vocabulary(json.loads((directory / FILE).read_text(encoding="utf-8")))
        except (ValueError, FileNotFoundError):
            logger.warning("UnknownWordsGuard: no vocabulary in the model, the guard is inactive")
        return cls({**cls.get_default_config(), **config}, model_storage, resource, vocabulary)

    def process(self, messages: list[Message]) -> list[Message]:
        """Put ``nlu_fallback`` first for messages made only of unknown words."""
        if not self.component_config.get("enabled", True) or self.vocabulary is None:
            return messages
        for message in messages:
            intent = message.get(INTENT) or {}
            if intent.get(INTENT_NAME_KEY) == DEFAULT_NLU_FALLBACK_INTENT_NAME:
                continue  # already falling back
            if not self.vocabulary.is_unknown(message.get(TEXT) or ""):
                continue
            put_first(message, DEFAULT_NLU_FALLBACK_INTENT_NAME, 1.0)
            logger.info(
                "no known word in the message: %s instead of %s",
                DEFAULT_NLU_FALLBACK_INTENT_NAME,
                intent.get(INTENT_NAME_KEY),
            )
        return messages
