"""Builders for the NLU component tests: messages as the classifiers leave them, guards as Rasa's graph makes them."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.guard import IntentGuard, LearningGuard

CONTEXT = ExecutionContext(GraphSchema({}), "test-model")
G = TypeVar("G", bound=IntentGuard)
L = TypeVar("L", bound=LearningGuard)


def classified(text: str, *ranking: tuple[str, float]) -> Message:
    """A message whose intent ranking is ``ranking`` (the first entry is its intent)."""
    message = Message(data={"text": text})
    name, confidence = ranking[0]
    message.set("intent", {"name": name, "confidence": confidence}, add_to_output=True)
    message.set("intent_ranking", [{"name": n, "confidence": c} for n, c in ranking], add_to_output=True)
    return message


def created(cls: type[G], tmp_path: Path, **config: Any) -> G:
    """A guard created the way the Rasa graph creates it (defaults completed by ``create``)."""
    return cls.create(config, LocalModelStorage(tmp_path), Resource(cls.__name__), CONTEXT)


def trained_then_loaded(cls: type[L], tmp_path: Path, examples: list[Message], **config: Any) -> L:
    """A guard trained on ``examples``, persisted, then loaded back from the model storage."""
    storage, resource = LocalModelStorage(tmp_path), Resource(cls.__name__)
    cls.create(config, storage, resource, CONTEXT).train(TrainingData(training_examples=examples))
    return cls.load(config, storage, resource, CONTEXT)
