"""Which label a message carries: a linear model over character and word n-grams.

Plain Python (scikit-learn, no rasa import). :mod:`bot.nlu_model` trains it on every intent and FAQ topic at
once (components/intent_classifier.py adapts that to Rasa's graph; bench/topic_threshold.py cross-validates it).
It replaced Rasa's DIETClassifier and ResponseSelector (TensorFlow networks): on this data the linear model is
more accurate on held-out messages, trains in seconds instead of minutes and keeps no TensorFlow graph in memory
(docs/nlu-eval.md, docs/benchmarks.md).

Features: TF-IDF of the character n-grams of each word (1 to 5 characters, accents stripped: typos and missing
accents still share most n-grams) and of the words and word pairs. Classifier: multinomial logistic regression,
whose probabilities are the confidences the fallback and the FAQ guard compare with their thresholds.
``class_weight="balanced"`` weighs each label by the inverse of its number of examples, so the large labels
(out_of_scope, the FAQ) do not swallow the small ones (privacy, danger).
"""

from __future__ import annotations

import io
import pickle
from dataclasses import dataclass

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

DEFAULT_C = 20.0
DEFAULT_SEED = 42


@dataclass(frozen=True)
class TopicScore:
    """One topic and the model's probability that the message asks about it."""

    topic: str
    confidence: float


def _pipeline(c: float, seed: int, class_weight: str | None) -> Pipeline:
    features = FeatureUnion(
        [
            (
                "chars",
                TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 5), strip_accents="unicode", sublinear_tf=True),
            ),
            (
                "words",
                TfidfVectorizer(
                    analyzer="word",
                    ngram_range=(1, 2),
                    strip_accents="unicode",
                    sublinear_tf=True,
                    token_pattern=r"(?u)\b\w+\b",
                ),
            ),
        ]
    )
    classifier = LogisticRegression(C=c, max_iter=3000, random_state=seed, class_weight=class_weight)
    return Pipeline([("features", features), ("classifier", classifier)])


class TopicModel:
    """Trained on (text, label) pairs; gives the probability of each label for a new message."""

    def __init__(self, pipeline: Pipeline) -> None:
        """Wrap a fitted scikit-learn pipeline (use :meth:`fit` or :meth:`loads`)."""
        self._pipeline = pipeline
        self.topics: list[str] = [str(t) for t in pipeline.classes_]

    @classmethod
    def fit(
        cls,
        texts: list[str],
        topics: list[str],
        c: float = DEFAULT_C,
        seed: int = DEFAULT_SEED,
        class_weight: str | None = None,
    ) -> TopicModel:
        """Learn from the examples; at least two distinct topics are needed."""
        if len(set(topics)) < 2:
            raise ValueError("a topic model needs examples of at least two topics")
        pipeline = _pipeline(c, seed, class_weight)
        pipeline.fit(texts, topics)
        return cls(pipeline)

    def probabilities(self, texts: list[str]) -> list[list[float]]:
        """For each text, the probability of every label, in the order of :attr:`topics`."""
        if not texts:
            return []
        return [[float(p) for p in row] for row in self._pipeline.predict_proba(texts)]

    def dumps(self) -> bytes:
        """The fitted model as bytes (stored inside the Rasa model archive, never received from outside)."""
        buffer = io.BytesIO()
        pickle.dump(self._pipeline, buffer, protocol=pickle.HIGHEST_PROTOCOL)
        return buffer.getvalue()

    @classmethod
    def loads(cls, data: bytes) -> TopicModel:
        """A model written by :meth:`dumps` (only ever the project's own model files)."""
        pipeline = pickle.loads(data)  # noqa: S301 - our own model archive, same as Rasa's own pickled components
        if not isinstance(pipeline, Pipeline):
            raise ValueError("not a topic model")
        return cls(pipeline)
