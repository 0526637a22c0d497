"""GSM-7 alphabet: transliteration of French text and segment counting."""

from __future__ import annotations

import math
import re
import unicodedata

GSM7_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = "^{}\\[~]|€\f"
_BASIC = frozenset(GSM7_BASIC)
_EXTENSION = frozenset(GSM7_EXTENSION)

_REPLACEMENTS = {
    "’": "'",
    "‘": "'",
    "‛": "'",
    "ʼ": "'",
    "´": "'",
    "`": "'",
    "“": '"',
    "”": '"',
    "„": '"',
    "«\u00a0": '"',
    "\u00a0»": '"',
    "« ": '"',
    " »": '"',
    "«": '"',
    "»": '"',
    "…": "...",
    "œ": "oe",
    "Œ": "Oe",
    "–": "-",
    "—": "-",
    "‑": "-",
    "•": "-",
    "·": "-",
    "\u00a0": " ",
    "\u202f": " ",
    "\u2009": " ",
    "\t": " ",
    "ç": "c",
    "È": "E",
    "Ê": "E",
    "Ë": "E",
    "À": "A",
    "Â": "A",
    "Î": "I",
    "Ï": "I",
    "Ô": "O",
    "Ù": "U",
    "Û": "U",
    "Ÿ": "Y",
    "°": "o",
    "✅": "",
    "👍": ":)",
    "🙂": ":)",
    "😊": ":)",
    "😀": ":)",
    "📅": "",
    "📍": "",
    "☎": "",
    "📞": "",
}
_REPLACE = re.compile("|".join(re.escape(k) for k in sorted(_REPLACEMENTS, key=len, reverse=True)))
_SPACES = re.compile(r"[ ]{2,}")
_SPACE_BEFORE_NEWLINE = re.compile(r" +\n|\n +")


def is_gsm7(text: str) -> bool:
    """Whether every character is in the GSM-7 basic or extension table."""
    return all(c in _BASIC or c in _EXTENSION for c in text)


def _fold(char: str) -> str:
    if char in _BASIC or char in _EXTENSION:
        return char
    base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    return base if base and all(c in _BASIC or c in _EXTENSION for c in base) else ""


def transliterate(text: str) -> str:
    """French text -> GSM-7 text (keeps é è à ù; ê -> e, ’ -> ', « » -> ", emojis dropped)."""
    replaced = _REPLACE.sub(lambda m: _REPLACEMENTS[m.group(0)], text.replace("\r\n", "\n"))
    folded = "".join(_fold(c) for c in replaced)
    return _SPACE_BEFORE_NEWLINE.sub("\n", _SPACES.sub(" ", folded)).strip()


def septets(text: str) -> int:
    """GSM-7 length (extension characters count twice)."""
    return sum(2 if c in _EXTENSION else 1 for c in text)


def segment_count(text: str) -> int:
    """SMS segments: 160/153 septets in GSM-7, 70/67 UTF-16 units in UCS-2."""
    if not text:
        return 0
    if is_gsm7(text):
        size = septets(text)
        return 1 if size <= 160 else math.ceil(size / 153)
    units = len(text.encode("utf-16-le")) // 2
    return 1 if units <= 70 else math.ceil(units / 67)
