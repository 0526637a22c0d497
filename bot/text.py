"""Text normalisation for matching SMS-style French (case, accents, punctuation), and Arabic-script folding."""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^a-z0-9]+")
_ARABIC_LETTERS = re.compile(r"[\u0621-\u064a]")
_NOT_ARABIC = re.compile(r"[^\u0621-\u064a0-9]+")
_ARABIC_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ؤ": "و", "ئ": "ي", "ـ": ""})


def strip_accents(text: str) -> str:
    """Remove diacritics: ``"arrêt"`` -> ``"arret"``."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def normalize(text: str) -> str:
    """Lower-case, accent-free, punctuation collapsed to single spaces."""
    lowered = strip_accents(text).lower().replace("œ", "oe").replace("æ", "ae")
    return _NON_WORD.sub(" ", lowered).strip()


def has_arabic(text: str) -> bool:
    """Whether the text has Arabic letters."""
    return bool(_ARABIC_LETTERS.search(text))


def fold_arabic(text: str) -> str:
    """Arabic letters only, hamza carriers and alef maqsura folded, short vowels and tatweel removed."""
    bare = "".join(c for c in unicodedata.normalize("NFC", text) if not unicodedata.combining(c))
    return _NOT_ARABIC.sub(" ", bare.translate(_ARABIC_FOLD)).strip()


def reply_form(text: str) -> str:
    """The form a short reply is compared in: its folded Arabic letters when it has any (``normalize`` drops
    them: "نعم" would be empty), else ``normalize``."""
    return fold_arabic(text) if has_arabic(text) else normalize(text)
