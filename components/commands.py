"""CommandKeywords: a Rasa NLU component that gives the assistant's own keywords their intent, sure.

Place it after the intent classifier and before the FallbackClassifier in config.yml:
``- name: components.commands.CommandKeywords``. A message that is exactly a keyword the assistant tells
residents to write (RDV, MEDIATEUR, PLUS, STOP RDV, MES RDV, ANNULER RDV: :mod:`bot.commands`; the reminders'
RAPPELS, FAIT, STOP RAPPELS and requests naming a programme or a date: :mod:`bot.reminders.keywords`) gets that
intent at confidence 1.0, put first in the ranking. One-word messages are where a classifier is least sure
(with DIET, "rdv" needed 40 epochs to stay above the fallback threshold: docs/benchmarks.md).
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.commands import command_intent
from bot.reminders.keywords import reminder_intent
from bot.text import normalize
from components.guard import IntentGuard, put_first


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class CommandKeywords(IntentGuard):
    """Overrides the predicted intent of a message that is exactly one of the assistant's keywords."""

    def check(self, message: Message) -> None:
        """Put the keyword's intent first, at confidence 1.0, when the message is a keyword."""
        text = message.get(TEXT)
        intent = command_intent(text) or reminder_intent(normalize(text or ""))
        if intent is not None:
            put_first(message, intent, 1.0)
