"""The project's own Latin-script language model: character n-grams and a linear classifier (scikit-learn).

Trained at first use from ``bot.language.samples`` (a second or so, no file to download or unpickle), so
the model always matches the samples in the repository.
"""

from __future__ import annotations

import functools
import re

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import MultinomialNB
from sklearn.pipeline import Pipeline

from bot.language.codes import Language
from bot.language.samples import training_set

_SPACES = re.compile(r"\s+")


def prepare(text: str) -> str:
    """Lower case, single spaces; accents and digits are kept (ş, ã, ñ and the 3 of "m3a" are evidence)."""
    return _SPACES.sub(" ", text.lower()).strip()


class LanguageModel:
    """Probabilities of each language for a message."""

    def __init__(self, kind: str = "logreg") -> None:
        classifier = (
            MultinomialNB(alpha=0.05)
            if kind == "nb"
            else LogisticRegression(C=20.0, max_iter=2000, class_weight="balanced", random_state=0)
        )
        vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4), sublinear_tf=True, min_df=1)
        self._pipeline = Pipeline([("chars", vectorizer), ("classifier", classifier)])
        self.languages: tuple[Language, ...] = ()

    def fit(self, texts: list[str], labels: list[Language]) -> LanguageModel:
        """Learn from labelled messages."""
        self._pipeline.fit([prepare(t) for t in texts], [label.value for label in labels])
        self.languages = tuple(Language(code) for code in self._pipeline.classes_)
        return self

    def probabilities(self, text: str) -> dict[Language, float]:
        """Each language's probability for one message."""
        row = self._pipeline.predict_proba([prepare(text)])[0]
        return {language: float(p) for language, p in zip(self.languages, row, strict=True)}


@functools.cache
def default_model() -> LanguageModel:
    """The model trained on the repository's samples (once per process)."""
    texts, labels = training_set()
    return LanguageModel().fit(texts, labels)
