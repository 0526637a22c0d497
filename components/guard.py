"""The base of our NLU components that overrule the intent classifiers, and the one way they do it.

Each guard reads one message the classifiers left and, when it objects, puts another intent first
(:func:`put_first`). :class:`IntentGuard` holds what every guard shares with Rasa's graph (configuration with
``enabled``, ``create``, ``process``); :class:`LearningGuard` adds what a guard learns from the training
examples, kept as one JSON file in the model. Each concrete guard keeps its own
``@DefaultV1Recipe.register`` decorator: registration is per class (config.yml names the class).
"""

from __future__ import annotations

import abc
import json
import logging
from typing import Any, ClassVar, TypeVar

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

logger = logging.getLogger(__name__)
G = TypeVar("G", bound="IntentGuard")


def put_first(message: Message, name: str, confidence: float) -> None:
    """Make ``name`` the message's intent and the head of its ranking (any older entry for it is dropped).

    The rest of the ranking stays in order: Rasa's evaluation and the FallbackClassifier convention read
    the classifier's own prediction from the second place.
    """
    intent = {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: confidence}
    ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get(INTENT_NAME_KEY) != name]
    message.set(INTENT, intent, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [dict(intent), *ranking], add_to_output=True)


def intent_name(message: Message) -> str | None:
    """The name of the intent the components before this one put first."""
    name = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
    return str(name) if name is not None else None


class IntentGuard(GraphComponent, IntentClassifier):
    """A component placed after the intent classifiers that may put another intent first, message by message."""

    def __init__(
        self, config: dict[str, Any], model_storage: ModelStorage | None = None, resource: Resource | None = None
    ) -> None:
        """Keep the configuration (defaults included) and where a learning guard persists what it learned."""
        self.component_config = config
        self._model_storage = model_storage
        self._resource = resource

    @classmethod
    def required_components(cls) -> list[type]:
        """Components that must come before this one."""
        return [IntentClassifier]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """``enabled`` can switch the guard off."""
        return {"enabled": True}

    @classmethod
    def create(
        cls: type[G],
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> G:
        """A new guard, its configuration completed with the defaults."""
        return cls({**cls.get_default_config(), **config}, model_storage, resource)

    def ready(self) -> bool:
        """Whether the guard judges messages at all (``enabled``)."""
        return bool(self.component_config.get("enabled", True))

    def process(self, messages: list[Message]) -> list[Message]:
        """Check every message (nothing happens when the guard is not ready)."""
        if self.ready():
            for message in messages:
                self.check(message)
        return messages

    @abc.abstractmethod
    def check(self, message: Message) -> None:
        """Put another intent first (:func:`put_first`) when the guard objects to the message's intent."""


class LearningGuard(IntentGuard):
    """A guard that learns from the training examples and keeps what it learned in the model (``FILE``)."""

    FILE: ClassVar[str]
    UNTRAINED: ClassVar[str] = "the guard is inactive"

    @classmethod
    def required_components(cls) -> list[type]:
        """None for training (it learns from the training data alone); config.yml places it after the classifiers."""
        return []

    @abc.abstractmethod
    def learn(self, examples: list[Message]) -> Any:
        """What to keep from the training examples (JSON-serialisable)."""

    @abc.abstractmethod
    def restore(self, learned: Any) -> None:
        """Use what :meth:`learn` returned (freshly, or read back from the model)."""

    def train(self, training_data: TrainingData) -> Resource:
        """Learn from the training examples and persist it in the model."""
        learned = self.learn(training_data.training_examples)
        self.restore(learned)
        if self._model_storage is None or self._resource is None:
            raise ValueError(f"{type(self).__name__} was not created by the graph: nowhere to persist")
        with self._model_storage.write_to(self._resource) as directory:
            (directory / self.FILE).write_text(json.dumps(learned, ensure_ascii=False), encoding="utf-8")
        return self._resource

    @classmethod
    def load(
        cls: type[G],
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> G:
        """The guard with what it learned (``UNTRAINED`` behaviour, with a warning, when the model has nothing)."""
        guard = cls.create(config, model_storage, resource, execution_context)
        assert isinstance(guard, LearningGuard)
        try:
            with model_storage.read_from(resource) as directory:
                learned = json.loads((directory / guard.FILE).read_text(encoding="utf-8"))
        except (ValueError, FileNotFoundError):
            logger.warning("%s: nothing learned in the model, %s", cls.__name__, guard.UNTRAINED)
        else:
            guard.restore(learned)
        return guard
