"""PrivacyGuard: a privacy intent predicted for a message about another organisation's data is demoted.

Place it after the intent classifiers in config.yml: ``- name: components.privacy_guard.PrivacyGuard``.
"Comment mettre à jour mes données CAF" must never lead to the erasure question: when the classifier puts
``privacy_erase`` or ``privacy_info`` first but :mod:`bot.privacy.scope` says the message is not about the
data we keep, the best other intent of the ranking is put first (``nlu_fallback`` when there is none).
"""

from __future__ import annotations

import logging

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.privacy.scope import is_erase_request_for_us, is_info_request_for_us
from components.guard import IntentGuard, intent_name, put_first

logger = logging.getLogger(__name__)
ERASE, INFO = "privacy_erase", "privacy_info"
PRIVACY_INTENTS = (ERASE, INFO)
MIN_CONFIDENCE = 0.3


def keeps_privacy_intent(intent: str, text: str) -> bool:
    """Whether a predicted privacy intent fits the text."""
    if intent == ERASE:
        return is_erase_request_for_us(text)
    if intent == INFO:
        return is_info_request_for_us(text)
    return True


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class PrivacyGuard(IntentGuard):
    """Demotes ``privacy_erase`` / ``privacy_info`` predicted for messages about other organisations."""

    def check(self, message: Message) -> None:
        """Put the best non-privacy intent first when the privacy intent does not fit the text."""
        name = intent_name(message)
        if name not in PRIVACY_INTENTS or keeps_privacy_intent(name, message.get(TEXT) or ""):
            return
        others = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get(INTENT_NAME_KEY) not in PRIVACY_INTENTS]
        best = others[0] if others else {}
        confidence = float(best.get(PREDICTED_CONFIDENCE_KEY) or 0.0)
        if confidence >= MIN_CONFIDENCE:
            put_first(message, str(best[INTENT_NAME_KEY]), confidence)
        else:  # no credible second guess: the honest "not understood"
            put_first(message, DEFAULT_NLU_FALLBACK_INTENT_NAME, 1.0)
        logger.info("privacy intent %s does not fit the message: demoted", name)
