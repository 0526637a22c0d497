"""Intent and FAQ topic of a message, from one linear model over every intent and topic at once.

Plain Python (no rasa import); components/intent_classifier.py adapts it to Rasa's graph. The labels are the
intents (``greet``, ``book_appointment``, ``out_of_scope``...) and, in place of the retrieval intent ``faq``,
its topics (``faq/caf_contact``...). Learning them together lets an uncovered public-service question
(``out_of_scope``) compete with each FAQ topic rather than with the whole FAQ at once, the confusion the
previous two-stage design (DIET for intents, then a topic model) made most (docs/nlu-eval.md).

From the label probabilities:
- each intent scores its most probable label (``faq`` scores its best topic), and the scores are divided by
  their sum: the intent is the one of the most probable label. Adding the topics up instead would let a
  message the model spreads thinly over eighty topics (chit-chat, an uncovered question) read as ``faq``,
  the opposite of what that spread says;
- the topic ranking is the topics' probabilities divided by their sum (the probability of each topic if the
  message is an FAQ question), the confidence the FAQ guard compares with its threshold.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.kb.topic_model import DEFAULT_SEED, TopicModel, TopicScore

RETRIEVAL_INTENT = "faq"
DEFAULT_C = 100.0
CLASS_WEIGHT = "balanced"


@dataclass(frozen=True)
class IntentScore:
    """One intent and its probability."""

    intent: str
    confidence: float


@dataclass(frozen=True)
class Reading:
    """What the model reads in one message: intents best first, and FAQ topics best first."""

    intents: list[IntentScore]
    topics: list[TopicScore]


def label_of(intent: str, topic: str | None, retrieval_intent: str = RETRIEVAL_INTENT) -> str:
    """The label an example is learned under: its topic key for the retrieval intent, else its intent."""
    if intent == retrieval_intent and topic:
        return topic if topic.startswith(retrieval_intent + "/") else f"{retrieval_intent}/{topic}"
    return intent


class IntentTopicModel:
    """Trained on (text, intent, topic) examples; reads the intent and the FAQ topic of new messages."""

    def __init__(self, model: TopicModel, retrieval_intent: str = RETRIEVAL_INTENT) -> None:
        """Wrap a fitted label model (use :meth:`fit` or :meth:`loads`)."""
        self._model = model
        self.retrieval_intent = retrieval_intent
        prefix = retrieval_intent + "/"
        self._is_topic = [label.startswith(prefix) for label in model.topics]

    @classmethod
    def fit(
        cls,
        examples: list[tuple[str, str, str | None]],
        c: float = DEFAULT_C,
        seed: int = DEFAULT_SEED,
        retrieval_intent: str = RETRIEVAL_INTENT,
    ) -> IntentTopicModel:
        """Learn from (text, intent, topic key or None) examples; at least two labels are needed."""
        texts = [text for text, _, _ in examples]
        labels = [label_of(intent, topic, retrieval_intent) for _, intent, topic in examples]
        return cls(TopicModel.fit(texts, labels, c=c, seed=seed, class_weight=CLASS_WEIGHT), retrieval_intent)

    @property
    def labels(self) -> list[str]:
        """Every label the model knows (intents and ``faq/<topic>`` keys)."""
        return list(self._model.topics)

    def read(self, texts: list[str], top: int = 10) -> list[Reading]:
        """For each text, its ``top`` most probable intents and FAQ topics."""
        readings: list[Reading] = []
        for row in self._model.probabilities(texts):
            intents: dict[str, float] = {}
            topics: list[TopicScore] = []
            for label, probability, is_topic in zip(self._model.topics, row, self._is_topic, strict=True):
                if is_topic:
                    topics.append(TopicScore(label, probability))
                    intents[self.retrieval_intent] = max(intents.get(self.retrieval_intent, 0.0), probability)
                else:
                    intents[label] = probability
            scale = sum(intents.values())
            if scale > 0:
                intents = {name: value / scale for name, value in intents.items()}
            total = sum(score.confidence for score in topics)
            if total > 0:
                topics = [TopicScore(score.topic, score.confidence / total) for score in topics]
            topics.sort(key=lambda score: -score.confidence)
            ranked = sorted(intents.items(), key=lambda item: -item[1])[:top]
            readings.append(Reading([IntentScore(name, value) for name, value in ranked], topics[:top]))
        return readings

    def dumps(self) -> bytes:
        """The fitted model as bytes (stored inside the Rasa model archive)."""
        return self._model.dumps()

    @classmethod
    def loads(cls, data: bytes, retrieval_intent: str = RETRIEVAL_INTENT) -> IntentTopicModel:
        """A model written by :meth:`dumps` (only ever the project's own model files)."""
        return cls(TopicModel.loads(data), retrieval_intent)
