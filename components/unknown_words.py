"""UnknownWordsGuard: a Rasa NLU component that sends messages made of unknown words to the fallback.

Place it after the FallbackClassifier in config.yml: ``- name: components.unknown_words.UnknownWordsGuard``.
It learns the vocabulary of the training examples; at prediction time, a message none of whose words is
known (even misspelt, see :mod:`bot.unknown_words`) gets ``nlu_fallback`` on top of its intent ranking,
exactly as the FallbackClassifier does, so the assistant says it did not understand instead of guessing.
"""

from __future__ import annotations

import logging

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.unknown_words import Vocabulary
from components.guard import LearningGuard, intent_name, put_first

logger = logging.getLogger(__name__)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class UnknownWordsGuard(LearningGuard):
    """Puts ``nlu_fallback`` first when no word of the message is (nearly) in the training vocabulary."""

    FILE = "vocabulary.json"
    vocabulary: Vocabulary | None = None

    def learn(self, examples: list[Message]) -> list[str]:
        """The vocabulary of the training examples."""
        return Vocabulary.from_texts([m.get(TEXT) for m in examples if m.get(TEXT)]).words

    def restore(self, learned: list[str]) -> None:
        """Use a learned vocabulary."""
        self.vocabulary = Vocabulary(learned)

    def ready(self) -> bool:
        """Enabled, and a vocabulary to compare with."""
        return super().ready() and self.vocabulary is not None

    def check(self, message: Message) -> None:
        """Put ``nlu_fallback`` first for a message made only of unknown words."""
        intent = intent_name(message)
        if intent == DEFAULT_NLU_FALLBACK_INTENT_NAME:
            return  # already falling back
        if self.vocabulary is None or not self.vocabulary.is_unknown(message.get(TEXT) or ""):
            return
        put_first(message, DEFAULT_NLU_FALLBACK_INTENT_NAME, 1.0)
        logger.info("no known word in the message: %s instead of %s", DEFAULT_NLU_FALLBACK_INTENT_NAME, intent)
