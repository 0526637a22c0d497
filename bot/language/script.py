"""Which writing system a message uses: a non-Latin script decides the language at once."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from bot.language.codes import Language

# Letters found only in one of the two Cyrillic languages we route to.
_UKRAINIAN_ONLY = set("іїєґІЇЄҐ")
_RUSSIAN_ONLY = set("ыэъёЫЭЪЁ")
# Frequent words written differently in the two languages (when no telling letter settles it).
_UKRAINIAN_WORDS = frozenset("що як де чи мені мене так будь ласка дякую вибачте треба потрібно з у".split())
_RUSSIAN_WORDS = frozenset("что как где ли мне меня да пожалуйста спасибо извините нужно надо с в здравствуйте".split())
# Endings: Ukrainian infinitives in -ти/-тися, instrumental -ою, nouns in -ння; Russian infinitives in -ть/-ться.
_UKRAINIAN_ENDINGS = ("ти", "тися", "ою", "ння")
_RUSSIAN_ENDINGS = ("ть", "ться", "ние", "ния")


@dataclass(frozen=True)
class ScriptCount:
    """Letters of a message by script."""

    latin: int = 0
    arabic: int = 0
    cyrillic: int = 0
    other: int = 0

    @property
    def letters(self) -> int:
        """All letters."""
        return self.latin + self.arabic + self.cyrillic + self.other


def _script(char: str) -> str:
    code = ord(char)
    if 0x0600 <= code <= 0x06FF or 0x0750 <= code <= 0x077F or 0x08A0 <= code <= 0x08FF or 0xFB50 <= code <= 0xFEFF:
        return "arabic"
    if 0x0400 <= code <= 0x052F:
        return "cyrillic"
    name = unicodedata.name(char, "")
    return "latin" if name.startswith("LATIN") else "other"


def count_scripts(text: str) -> ScriptCount:
    """Count the letters of each script (digits, punctuation and emoji are not letters)."""
    counts = {"latin": 0, "arabic": 0, "cyrillic": 0, "other": 0}
    for char in text:
        if char.isalpha():
            counts[_script(char)] += 1
    return ScriptCount(**counts)


def script_language(text: str) -> Language | None:
    """The language a non-Latin script gives away (Arabic script -> ar, Cyrillic -> uk or ru), else None.

    The script must carry at least two letters and outnumber the Latin ones: a French message quoting one
    Arabic word stays French.
    """
    counts = count_scripts(text)
    if counts.arabic >= 2 and counts.arabic >= counts.latin:
        return Language.AR
    if counts.cyrillic >= 2 and counts.cyrillic >= counts.latin:
        words = text.lower().split()
        ukrainian = sum(c in _UKRAINIAN_ONLY for c in text) + sum(
            w in _UKRAINIAN_WORDS or w.endswith(_UKRAINIAN_ENDINGS) for w in words
        )
        russian = sum(c in _RUSSIAN_ONLY for c in text) + sum(
            w in _RUSSIAN_WORDS or w.endswith(_RUSSIAN_ENDINGS) for w in words
        )
        return Language.UK if ukrainian > russian else Language.RU
    return None
