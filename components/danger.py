"""DangerDetector: a Rasa NLU graph component that forces `danger_<kind>` intents before anything else.

Place it after the intent classifier (and after FallbackClassifier) in config.yml:
``- name: components.danger.DangerDetector``. When :func:`bot.danger.detect` matches the message text,
the intent becomes ``danger_<kind>`` at confidence 1.0 and is put first in the intent ranking.
"""

from __future__ import annotations

import logging

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.danger import detect
from components.guard import IntentGuard, intent_name, put_first

logger = logging.getLogger(__name__)
UNSURE = "danger_unsure"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class DangerDetector(IntentGuard):
    """Overrides the predicted intent with ``danger_<kind>`` when the text shows a danger."""

    def check(self, message: Message) -> None:
        """Set the danger intent when the text matches a danger pattern."""
        match = detect(message.get(TEXT))
        if match is None:
            self._demote_unconfirmed_danger(message)
            return
        put_first(message, match.intent, 1.0)
        logger.info("Danger detected (%s): intent forced to %s", match.kind, match.intent)

    def _demote_unconfirmed_danger(self, message: Message) -> None:
        """A danger intent predicted by the classifier alone becomes ``danger_unsure``.

        On small data the classifier also gives danger intents, confidently, to harmless texts ("rue de la
        République", "ça va me tuer cette paperasse"). An emergency answer and an urgent hand-off would
        frighten and mislead; a calm safety line (112 / 114) still protects a real danger the patterns missed.
        """
        name = intent_name(message) or ""
        if not name.startswith("danger_") or name == UNSURE:
            return
        confidence = float((message.get(INTENT) or {}).get(PREDICTED_CONFIDENCE_KEY) or 0.0)
        put_first(message, UNSURE, confidence)
        logger.info("%s (%.2f) without a danger pattern: treated as %s", name, confidence, UNSURE)
