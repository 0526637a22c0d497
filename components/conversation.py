"""ShortReplies: a Rasa NLU component for the short replies a conversation depends on (issue 25).

Place it right after the FallbackClassifier in config.yml: ``- name: components.conversation.ShortReplies``.
Short replies are where a classifier is least sure, often below the fallback threshold or too close to a
second intent (the FallbackClassifier's ambiguity check), so this runs after it and reads the classifier's own
guess (second in the ranking when ``nlu_fallback`` was put first):

- a plain yes or no ("ok je veux bien", "svp", "non merci": :mod:`bot.conversation.replies`) gets ``affirm`` or
  ``deny``, so that it takes (or closes) what the last answer offered;
- a short elliptical follow-up ("et le mardi ?", "comment je fais", "pour mon mari aussi":
  :mod:`bot.conversation.followup`) gets ``follow_up``, read against the last answers by action_follow_up,
  unless the classifier chose (with confidence) an intent whose own action reads it in context
  (``followup.overrides``).
"""

from __future__ import annotations

import logging

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import INTENT_NAME_KEY, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.conversation import followup, replies
from bot.conversation.context import FOLLOW_UP_INTENT
from components.guard import IntentGuard, intent_name, put_first

logger = logging.getLogger(__name__)


def classifier_guess(message: Message) -> str | None:
    """The classifier's intent: the first one, or the second when the fallback was put first."""
    intent = intent_name(message)
    if intent != DEFAULT_NLU_FALLBACK_INTENT_NAME:
        return intent
    ranking = message.get(INTENT_RANKING_KEY) or []
    others = [r.get(INTENT_NAME_KEY) for r in ranking if r.get(INTENT_NAME_KEY) != DEFAULT_NLU_FALLBACK_INTENT_NAME]
    return str(others[0]) if others else None


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class ShortReplies(IntentGuard):
    """Puts ``affirm``/``deny`` first for a plain yes or no, ``follow_up`` for a short elliptical follow-up."""

    def check(self, message: Message) -> None:
        """Override the intent of a plain yes/no or of a follow-up (at confidence 1.0)."""
        text = message.get(TEXT)
        guess = classifier_guess(message)
        answer = replies.yes_or_no(text)
        if answer is not None and guess not in replies.KEEPS:
            put_first(message, "affirm" if answer else "deny", 1.0)
            return
        found = followup.detect(text)
        rejected = intent_name(message) == DEFAULT_NLU_FALLBACK_INTENT_NAME  # the guess's own rule will not run
        if found is not None and (rejected or followup.overrides(found, guess)):
            put_first(message, FOLLOW_UP_INTENT, 1.0)
            logger.info("short follow-up (%s) instead of %s", found.kind.value, guess)
