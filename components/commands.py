"""CommandKeywords: a Rasa NLU component that gives the assistant's own keywords their intent, sure.

Place it after the intent classifier and before the FallbackClassifier in config.yml:
``- name: components.commands.CommandKeywords``. A message that is exactly a keyword the assistant tells
residents to write (RDV, MEDIATEUR, PLUS, STOP RDV, MES RDV, ANNULER RDV: :mod:`bot.commands`) gets that
intent at confidence 1.0, put first in the ranking. One-word messages are where a classifier is least sure
(with DIET, "rdv" needed 40 epochs to stay above the fallback threshold: docs/benchmarks.md).

The same holds for the two other kinds of short replies a conversation depends on (issue 25): a plain yes or
no ("ok je veux bien", "svp", "non merci": :mod:`bot.conversation.replies`) gets ``affirm`` or ``deny``, and
a short elliptical follow-up ("et le mardi ?", "comment je fais", "pour mon mari aussi":
:mod:`bot.conversation.followup`) gets ``follow_up``, read against the last answers by action_follow_up.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.commands import command_intent
from bot.conversation import followup, replies
from bot.conversation.context import FOLLOW_UP_INTENT
from components.guard import IntentGuard, intent_name, put_first


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class CommandKeywords(IntentGuard):
    """Overrides the predicted intent of a message that is exactly one of the assistant's keywords."""

    def check(self, message: Message) -> None:
        """Put the keyword's intent first, at confidence 1.0, when the message is a keyword."""
        text = message.get(TEXT)
        current = intent_name(message)
        intent = command_intent(text)
        if intent is None and (answer := replies.yes_or_no(text)) is not None and current not in replies.KEEPS:
            intent = "affirm" if answer else "deny"
        found = followup.detect(text) if intent is None else None
        if found is not None and followup.overrides(found, current):
            intent = FOLLOW_UP_INTENT
        if intent is not None:
            put_first(message, intent, 1.0)
