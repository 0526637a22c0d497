"""LanguageFromMetadata: the language the connector decided for a message becomes the ``language`` entity.

The admission (``bot/inbound/admission.py``) resolves each message's language (``bot.language.routing``) and
the connector puts it in the message metadata. This component adds it as the ``language`` entity, which fills
the ``language`` slot (domain/language.yml) at the start of the turn: every response is then said in the
resident's language (Rasa conditional response variations). A message without it (trigger_intent, a training
example) leaves the slot as it was.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES
from rasa.shared.nlu.training_data.message import Message

from bot.language.codes import Language

ENTITY = "language"


def language_entity(metadata: Any) -> dict[str, Any] | None:
    """The entity for a message's metadata, or None when it names no supported language."""
    code = metadata.get("language") if isinstance(metadata, dict) else None
    if code not in {language.value for language in Language}:
        return None
    return {"entity": ENTITY, "value": code, "start": 0, "end": 0, "extractor": "LanguageFromMetadata"}


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class LanguageFromMetadata(GraphComponent):
    """Adds the ``language`` entity from the message metadata."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LanguageFromMetadata:
        """A new component (no configuration)."""
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        """Add the entity to each message whose metadata names its language."""
        for message in messages:
            entity = language_entity(message.get("metadata"))
            if entity is not None:
                entities = [e for e in message.get(ENTITIES) or [] if e.get("entity") != ENTITY]
                message.set(ENTITIES, [*entities, entity], add_to_output=True)
        return messages
