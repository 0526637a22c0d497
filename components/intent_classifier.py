"""IntentTopicClassifier: a Rasa NLU component that reads the intent and the FAQ topic of a message.

``- name: components.intent_classifier.IntentTopicClassifier`` in config.yml (options ``retrieval_intent``,
default ``faq``; ``C``, the inverse regularisation; ``random_seed``; ``ranking_length``). It learns every
intent and every FAQ topic (``faq/<topic>``) with one linear model (:class:`bot.nlu_model.IntentTopicModel`)
and writes what Rasa's DIETClassifier and ResponseSelector wrote: the intent and its ranking, and under
``response_selector`` the chosen ``intent_response_key``, its ``utter_action``, its confidence and a ranking.
The FallbackClassifier, the guards, the retrieval action ``utter_faq`` and Rasa's evaluation read them
unchanged.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    INTENT_RESPONSE_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.kb.topic_model import DEFAULT_SEED, TopicScore
from bot.nlu_model import DEFAULT_C, RETRIEVAL_INTENT, IntentTopicModel, Reading

logger = logging.getLogger(__name__)
MODEL_FILE = "intents_topics.pkl"
PROPERTY = "response_selector"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class IntentTopicClassifier(GraphComponent, IntentClassifier):
    """Chooses the intent and the FAQ topic of every message with one linear model over n-grams."""

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        model: IntentTopicModel | None = None,
    ) -> None:
        """Keep the configuration, where to persist, and the trained model if there is one."""
        self.component_config = config
        self._model_storage = model_storage
        self._resource = resource
        self.model = model

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """``retrieval_intent``: whose sub-intents are the topics; ``C``; ``random_seed``; ``ranking_length``."""
        return {"retrieval_intent": RETRIEVAL_INTENT, "C": DEFAULT_C, "random_seed": DEFAULT_SEED, "ranking_length": 10}

    @classmethod
    def required_components(cls) -> list[type]:
        """Nothing: the model computes its own features from the text."""
        return []

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> IntentTopicClassifier:
        """An untrained classifier, its configuration completed with the defaults."""
        return cls({**cls.get_default_config(), **config}, model_storage, resource)

    @property
    def retrieval_intent(self) -> str:
        """The retrieval intent whose sub-intents are the topics (``faq``)."""
        return str(self.component_config["retrieval_intent"])

    def train(self, training_data: TrainingData) -> Resource:
        """Learn the intents and topics of the training examples and store the model."""
        examples: list[tuple[str, str, str | None]] = []
        for message in training_data.training_examples:
            text, intent = message.get(TEXT), message.get(INTENT)
            if text and intent:
                key = message.get(INTENT_RESPONSE_KEY)
                examples.append((str(text), str(intent), str(key) if key else None))
        if len({(intent, topic) for _, intent, topic in examples}) < 2:
            logger.warning("IntentTopicClassifier: fewer than two intents to learn")
            return self._resource
        self.model = IntentTopicModel.fit(
            examples,
            c=float(self.component_config["C"]),
            seed=int(self.component_config["random_seed"]),
            retrieval_intent=self.retrieval_intent,
        )
        with self._model_storage.write_to(self._resource) as directory:
            (directory / MODEL_FILE).write_bytes(self.model.dumps())
        return self._resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> IntentTopicClassifier:
        """The classifier with its trained model (no intent is set, with a warning, when the model has none)."""
        classifier = cls.create(config, model_storage, resource, execution_context)
        try:
            with model_storage.read_from(resource) as directory:
                classifier.model = IntentTopicModel.loads(
                    (directory / MODEL_FILE).read_bytes(), classifier.retrieval_intent
                )
        except (ValueError, FileNotFoundError):
            logger.warning("IntentTopicClassifier: no trained model, intents will not be classified")
        return classifier

    def process(self, messages: list[Message]) -> list[Message]:
        """Write the intent, its ranking and the FAQ topic into each message."""
        model = self.model
        if model is None:
            return messages
        texts = [str(message.get(TEXT) or "") for message in messages]
        readings = model.read(texts, top=int(self.component_config["ranking_length"]))
        for message, reading in zip(messages, readings, strict=True):
            self._annotate(message, reading)
        return messages

    def _annotate(self, message: Message, reading: Reading) -> None:
        ranking = [{INTENT_NAME_KEY: s.intent, PREDICTED_CONFIDENCE_KEY: s.confidence} for s in reading.intents]
        message.set(INTENT, dict(ranking[0]), add_to_output=True)
        message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        if reading.topics:
            self._annotate_topic(message, reading.topics)

    def _annotate_topic(self, message: Message, ranking: list[TopicScore]) -> None:
        best = ranking[0]
        prediction = {
            "response": {
                "responses": [],
                PREDICTED_CONFIDENCE_KEY: best.confidence,
                INTENT_RESPONSE_KEY: best.topic,
                "utter_action": f"utter_{best.topic}",
            },
            "ranking": [
                {"id": index, PREDICTED_CONFIDENCE_KEY: score.confidence, INTENT_RESPONSE_KEY: score.topic}
                for index, score in enumerate(ranking)
            ],
        }
        properties = dict(message.get(PROPERTY) or {})
        properties["all_retrieval_intents"] = [self.retrieval_intent]
        properties[self.retrieval_intent] = prediction
        message.set(PROPERTY, properties, add_to_output=True)
