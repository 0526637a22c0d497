"""Which SMS alphabet a text needs: GSM-7 (French folds into it) or UCS-2 (Arabic, Cyrillic, Turkish, emoji).

French text is folded into GSM-7 (ê -> e, ’ -> '), which keeps it at 160 characters per SMS. Text with
characters that would be lost by folding (any letter or symbol outside Latin-1 that the replacement table
does not know) is sent unchanged as UCS-2, at 70 UTF-16 units per SMS (67 per part of a long one).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from bot.sms.gsm import _BASIC, _EXTENSION, _REPLACE, _REPLACEMENTS, septets, transliterate

_SPACES = re.compile(r"[ \t\u00a0\u202f\u2009]{2,}|[\t\u00a0\u202f\u2009]")


def utf16_units(text: str) -> int:
    """UCS-2/UTF-16 length (an emoji outside the basic plane counts twice)."""
    return len(text.encode("utf-16-le")) // 2


@dataclass(frozen=True)
class Alphabet:
    """An SMS encoding and its segment budget."""

    name: str
    single: int
    concat: int
    measure: Callable[[str], int]


GSM7 = Alphabet("gsm7", 160, 153, septets)
UCS2 = Alphabet("ucs2", 70, 67, utf16_units)


def _lost_by_folding(char: str) -> bool:
    if char in _BASIC or char in _EXTENSION or ord(char) <= 0xFF:
        return False  # GSM-7 already, or a Latin-1 letter that folds (ê -> e)
    return unicodedata.category(char) not in ("Mn", "Me", "Cf", "Zs")  # marks, joiners, spaces fold away


def needs_ucs2(text: str) -> bool:
    """Whether folding to GSM-7 would lose characters (Arabic, Cyrillic, ı ş ğ, most emoji)."""
    replaced = _REPLACE.sub(lambda m: _REPLACEMENTS[m.group(0)], text)
    return any(_lost_by_folding(c) for c in replaced)


def shape(text: str) -> tuple[str, Alphabet]:
    """The text as it will be sent and its alphabet."""
    if needs_ucs2(text):
        return _SPACES.sub(" ", text.replace("\r\n", "\n")).strip(), UCS2
    return transliterate(text), GSM7
