"""DangerDetector: a Rasa NLU graph component that forces `danger_<kind>` intents before anything else.

Place it after the intent classifier (and after FallbackClassifier) in config.yml:
``- name: components.danger.DangerDetector``. When :func:`bot.danger.detect` matches the message text,
the intent becomes ``danger_<kind>`` at confidence 1.0 and is put first in the intent ranking.
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
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from bot.danger import detect
from components.ranking import put_first

logger = logging.getLogger(__name__)
UNSURE = "danger_unsure"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class DangerDetector(GraphComponent, IntentClassifier):
    """Overrides the predicted intent with ``danger_<kind>`` when the text shows a danger."""

    @classmethod
    def required_components(cls) -> list[type]:
        """Components that must come before this one."""
        return [IntentClassifier]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """Default configuration: ``enabled`` can switch the override off."""
        return {"enabled": True}

    def __init__(self, config: dict[str, Any]) -> None:
        """Keep the component configuration."""
        self.component_config = config

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> DangerDetector:
        """Create the component (nothing to train or load)."""
        return cls({**cls.get_default_config(), **config})

    def process(self, messages: list[Message]) -> list[Message]:
        """Set the danger intent on every message whose text matches a danger pattern."""
        if not self.component_config.get("enabled", True):
            return messages
        for message in messages:
            match = detect(message.get(TEXT))
            if match is None:
                self._demote_unconfirmed_danger(message)
                continue
            put_first(message, match.intent, 1.0)
            logger.info("Danger detected (%s): intent forced to %s", match.kind, match.intent)
        return messages

    def _demote_unconfirmed_danger(self, message: Message) -> None:
        """A danger intent predicted by the classifier alone becomes ``danger_unsure``.

        On small data the classifier also gives danger intents, confidently, to harmless texts ("rue de la
        République", "ça va me tuer cette paperasse"). An emergency answer and an urgent hand-off would
        frighten and mislead; a calm safety line (112 / 114) still protects a real danger the patterns missed.
        """
        intent = message.get(INTENT) or {}
        name = intent.get(INTENT_NAME_KEY) or ""
        if not name.startswith("danger_") or name == UNSURE:
            return
        confidence = float(intent.get(PREDICTED_CONFIDENCE_KEY) or 0.0)
        put_first(message, UNSURE, confidence)
        logger.info("%s (%.2f) without a danger pattern: treated as %s", name, confidence, UNSURE)
