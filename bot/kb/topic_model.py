"""Which FAQ topic a message asks about: a linear model over character and word n-grams.

Plain Python (scikit-learn, no rasa import): components/faq_selector.py adapts it to Rasa's graph. It replaces
Rasa's ResponseSelector (a TensorFlow network trained for 30 epochs): on this data the linear model is at
least as accurate on held-out messages, trains in seconds instead of minutes and keeps no TensorFlow graph in
memory (docs/nlu-eval.md, docs/benchmarks.md).

Features: TF-IDF of the character n-grams of each word (1 to 5 characters, accents stripped: typos and missing
accents still share most n-grams) and of the words and word pairs. Classifier: multinomial logistic regression,
whose probabilities are the topic confidences the FAQ guard compares with its threshold.
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


def _pipeline(c: float, seed: int) -> Pipeline:
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
    return Pipeline([("features", features), ("classifier", LogisticRegression(C=c, max_iter=3000, random_state=seed))])


class TopicModel:
    """Trained on (text, topic) pairs; ranks the topics of a new message by probability."""

    def __init__(self, pipeline: Pipeline) -> None:
        """Wrap a fitted scikit-learn pipeline (use :meth:`fit` or :meth:`loads`)."""
        self._pipeline = pipeline
        self.topics: list[str] = [str(t) for t in pipeline.classes_]

    @classmethod
    def fit(cls, texts: list[str], topics: list[str], c: float = DEFAULT_C, seed: int = DEFAULT_SEED) -> TopicModel:
        """Learn from the examples; at least two distinct topics are needed."""
        if len(set(topics)) < 2:
            raise ValueError("a topic model needs examples of at least two topics")
        pipeline = _pipeline(c, seed)
        pipeline.fit(texts, topics)
        return cls(pipeline)

    def rank(self, texts: list[str], top: int = 10) -> list[list[TopicScore]]:
        """For each text, its ``top`` most probable topics, best first."""
        if not texts:
            return []
        rows = self._pipeline.predict_proba(texts)
        ranked: list[list[TopicScore]] = []
        for row in rows:
            order = sorted(range(len(row)), key=lambda i: -float(row[i]))[:top]
            ranked.append([TopicScore(self.topics[i], float(row[i])) for i in order])
        return ranked

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
