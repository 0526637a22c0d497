"""Nearest training example: is a message closer to an out-of-scope example than to any FAQ example?

Character n-gram TF-IDF (copes with SMS spelling and missing accents), cosine similarity, nearest neighbour.
Used by components/faq_guard.py: an FAQ answer is refused when the message looks more like the
out_of_scope examples (uncovered public-service themes) than like any kb topic. Plain Python + scikit-learn.
"""

from __future__ import annotations

from collections.abc import Sequence

from sklearn.feature_extraction.text import TfidfVectorizer


class NearestExamples:
    """Two groups of example texts (FAQ, out of scope) and the similarity of a message to each."""

    def __init__(self, faq: Sequence[str], out_of_scope: Sequence[str]) -> None:
        self.faq = list(faq)
        self.out_of_scope = list(out_of_scope)
        self._ready = bool(self.faq) and bool(self.out_of_scope)
        if self._ready:
            self._vectorizer = TfidfVectorizer(
                analyzer="char_wb", ngram_range=(3, 5), strip_accents="unicode", lowercase=True, sublinear_tf=True
            )
            self._vectorizer.fit(self.faq + self.out_of_scope)
            self._faq = self._vectorizer.transform(self.faq)
            self._oos = self._vectorizer.transform(self.out_of_scope)

    @property
    def ready(self) -> bool:
        """False when one group is empty (then nothing is ever flagged)."""
        return self._ready

    def similarities(self, text: str) -> tuple[float, float]:
        """(best cosine to an FAQ example, best cosine to an out-of-scope example)."""
        if not self._ready:
            return 0.0, 0.0
        vector = self._vectorizer.transform([text])
        faq = (vector @ self._faq.T).toarray()
        oos = (vector @ self._oos.T).toarray()
        return float(faq.max()), float(oos.max())

    def looks_out_of_scope(self, text: str, margin: float = 0.0) -> bool:
        """True when the nearest out-of-scope example is closer than the nearest FAQ example (plus margin)."""
        faq, oos = self.similarities(text)
        return self._ready and oos > faq + margin
