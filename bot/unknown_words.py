"""Is a message made only of words the assistant has never seen, even misspelt? ("wxcvbn", "kjhkjh")

The intent classifier always picks an intent, and on keyboard mashing it can pick one confidently ("oui",
which could confirm a booking). A message is *unknown* when it has words, no digits, and none of its words
is in the training vocabulary or a small typo away from a word that is (one edit for words of up to five
letters, two for longer ones, measured with symmetric deletes). "bjour", "merciii" or "rdvv" stay known;
the message then gets the honest "not understood" fallback instead of a guess.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import combinations

from bot.text import normalize

_WORD = re.compile(r"[a-z]+")
_DIGIT = re.compile(r"[0-9]")
SHORT_WORD = 5  # words up to this length may be one edit away; longer ones two


def words(text: str) -> list[str]:
    """Lower-case, accent-free alphabetic words of ``text``."""
    return _WORD.findall(normalize(text or ""))


def deletes(word: str, depth: int) -> set[str]:
    """``word`` with up to ``depth`` letters removed (itself included)."""
    found = {word}
    for n in range(1, min(depth, len(word) - 1) + 1):
        for positions in combinations(range(len(word)), n):
            found.add("".join(c for i, c in enumerate(word) if i not in positions))
    return found


def _depth(word: str) -> int:
    return 1 if len(word) <= SHORT_WORD else 2


class Vocabulary:
    """The words of the training examples, with their deletes for typo-tolerant lookups."""

    def __init__(self, known: Iterable[str]) -> None:
        self.words = sorted(set(known))
        self._exact = set(self.words)
        self._deletes: set[str] = set()
        for word in self.words:
            self._deletes |= deletes(word, _depth(word))

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> Vocabulary:
        """Vocabulary of some example texts."""
        return cls(word for text in texts for word in words(text))

    def knows(self, word: str) -> bool:
        """True when ``word`` or a near spelling of it is known."""
        if word in self._exact:
            return True
        return not deletes(word, _depth(word)).isdisjoint(self._deletes)

    def is_unknown(self, text: str) -> bool:
        """True for a message with words, no digits, and no known (or nearly known) word."""
        found = words(text)
        if not found or _DIGIT.search(text or ""):
            return False
        return not any(self.knows(word) for word in found)
