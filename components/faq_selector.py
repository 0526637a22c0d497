"""FaqTopicSelector: a Rasa NLU component that picks the FAQ topic of a message (in place of ResponseSelector).

``- name: components.faq_selector.FaqTopicSelector`` in config.yml (options ``retrieval_intent``, default
``faq``; ``C``, the inverse regularisation of :class:`bot.kb.topic_model.TopicModel`). It learns from the
examples of the retrieval intent (``faq/<topic>``) and writes its choice where Rasa's ResponseSelector does
(``response_selector``: the chosen ``intent_response_key``, its ``utter_action``, its confidence and a
ranking), so the retrieval action ``utter_faq``, Rasa's evaluation and the FAQ guard read it unchanged.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RESPONSE_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.kb.topic_model import DEFAULT_C, DEFAULT_SEED, TopicModel, TopicScore

logger = logging.getLogger(__name__)
MODEL_FILE = "topics.pkl"
PROPERTY = "response_selector"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class FaqTopicSelector(GraphComponent):
    """Chooses the FAQ topic of every message with a linear model over n-grams."""

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        model: TopicModel | None = None,
    ) -> None:
        """Keep the configuration, where to persist, and the trained model if there is one."""
        self.component_config = config
        self._model_storage = model_storage
        self._resource = resource
        self.model = model

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """``retrieval_intent``: whose sub-intents are the topics; ``C``; ``random_seed``; ``ranking_length``."""
        return {"retrieval_intent": "faq", "C": DEFAULT_C, "random_seed": DEFAULT_SEED, "ranking_length": 10}

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
    ) -> FaqTopicSelector:
        """An untrained selector, its configuration completed with the defaults."""
        return cls({**cls.get_default_config(), **config}, model_storage, resource)

    @property
    def retrieval_intent(self) -> str:
        """The retrieval intent whose sub-intents are the topics (``faq``)."""
        return str(self.component_config["retrieval_intent"])

    def train(self, training_data: TrainingData) -> Resource:
        """Learn the topics from the retrieval intent's examples and store the model."""
        texts: list[str] = []
        keys: list[str] = []
        for message in training_data.training_examples:
            key = message.get(INTENT_RESPONSE_KEY)
            if message.get(INTENT) == self.retrieval_intent and key and message.get(TEXT):
                texts.append(str(message.get(TEXT)))
                keys.append(str(key))
        if len(set(keys)) < 2:
            logger.warning("FaqTopicSelector: fewer than two topics of '%s' to learn", self.retrieval_intent)
            return self._resource
        self.model = TopicModel.fit(
            texts, keys, c=float(self.component_config["C"]), seed=int(self.component_config["random_seed"])
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
    ) -> FaqTopicSelector:
        """The selector with its trained model (no topic is chosen, with a warning, when the model has none)."""
        selector = cls.create(config, model_storage, resource, execution_context)
        try:
            with model_storage.read_from(resource) as directory:
                selector.model = TopicModel.loads((directory / MODEL_FILE).read_bytes())
        except (ValueError, FileNotFoundError):
            logger.warning("FaqTopicSelector: no trained topic model, FAQ topics will not be chosen")
        return selector

    def process(self, messages: list[Message]) -> list[Message]:
        """Write the chosen topic and the ranking into each message, as Rasa's ResponseSelector does."""
        model = self.model
        if model is None:
            return messages
        texts = [str(message.get(TEXT) or "") for message in messages]
        rankings = model.rank(texts, top=int(self.component_config["ranking_length"]))
        for message, ranking in zip(messages, rankings, strict=True):
            self._annotate(message, ranking)
        return messages

    def _annotate(self, message: Message, ranking: list[TopicScore]) -> None:
        best = ranking[0]
        utter_action = f"utter_{best.topic}"
        prediction = {
            "response": {
                "responses": [],
                PREDICTED_CONFIDENCE_KEY: best.confidence,
                INTENT_RESPONSE_KEY: best.topic,
                "utter_action": utter_action,
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
