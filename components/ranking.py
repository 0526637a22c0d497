"""Shared by the NLU components that override the classifier: put an intent first, keep the rest ranked."""

from __future__ import annotations

from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY
from rasa.shared.nlu.training_data.message import Message


def put_first(message: Message, name: str, confidence: float) -> None:
    """Make ``name`` the message's intent and the head of its ranking (any older entry for it is dropped).

    The rest of the ranking stays in order: Rasa's evaluation and the FallbackClassifier convention read
    the classifier's own prediction from the second place.
    """
    intent = {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: confidence}
    ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get(INTENT_NAME_KEY) != name]
    message.set(INTENT, intent, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [dict(intent), *ranking], add_to_output=True)
