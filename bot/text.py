"""Text normalisation for matching SMS-style French (case, accents, punctuation)."""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^a-z0-9]+")


def strip_accents(text: str) -> str:
    """Remove diacritics: ``"arrêt"`` -> ``"arret"``."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def normalize(text: str) -> str:
    """Lower-case, accent-free, punctuation collapsed to single spaces."""
    lowered = strip_accents(text).lower().replace("œ", "oe").replace("æ", "ae")
    return _NON_WORD.sub(" ", lowered).strip()
