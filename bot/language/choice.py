"""The explicit language choice: the LANGUE command, its numbered menu, the answer, and FRANCAIS to come back.

Pure functions: the routing (``bot.language.routing``) decides when a number answers the menu.
"""

from __future__ import annotations

import re
import unicodedata

from bot.language.codes import MENU_ORDER, Language

_NON_WORD = re.compile(r"[\W_]+")


def fold(text: str) -> str:
    """Case, accents and punctuation folded, any script kept: ``"LÍNGUA !"`` -> ``"lingua"``, ``"DİL"`` -> ``"dil"``."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", bare).strip()


def _folded(words: str) -> frozenset[str]:
    return frozenset(fold(w) for w in words.split("|"))


# The command in each language (and its usual variants), compared folded.
COMMANDS = _folded("langue|langues|language|languages|lang|لغة|اللغة|idioma|língua|lingua|dil|limba|limbă|мова|язык")

BACK_TO_FRENCH = _folded("français|francais|french|en français|en francais")

NAMES: dict[Language, frozenset[str]] = {
    Language.FR: BACK_TO_FRENCH | _folded("fr"),
    Language.AR: _folded("العربية|عربي|arabe|arabic|arabia|3arbia|l3arbia|darija"),
    Language.EN: _folded("english|anglais|inglés|ingles|en"),
    Language.ES: _folded("español|espagnol|spanish|es"),
    Language.PT: _folded("português|portugais|portuguese|pt"),
    Language.TR: _folded("türkçe|turc|turkish|turkce|tr"),
    Language.RO: _folded("română|roumain|romanian|ro"),
    Language.UK: _folded("українська|ukrainien|ukrainian|uk"),
    Language.RU: _folded("русский|russe|russian|ru"),
}

# Said once the choice is made, in the chosen language (to be reviewed by native-speaking mediators).
CONFIRMATIONS: dict[Language, str] = {
    Language.FR: "D'accord, je vous réponds en français.",
    Language.AR: "حسنا، سأجيبك بالعربية.",
    Language.EN: "OK, I will answer you in English.",
    Language.ES: "De acuerdo, le respondo en español.",
    Language.PT: "Muito bem, respondo-lhe em português.",
    Language.TR: "Tamam, size Türkçe cevap vereceğim.",
    Language.RO: "Bine, vă răspund în română.",
    Language.UK: "Добре, я відповідатиму українською.",
    Language.RU: "Хорошо, я буду отвечать по-русски.",
}


def is_command(text: str) -> bool:
    """Whether the message asks for the language menu (LANGUE, LANGUAGE, لغة, IDIOMA, LÍNGUA, DİL, LIMBA...)."""
    return fold(text) in COMMANDS


def is_back_to_french(text: str) -> bool:
    """Whether the message asks for French (FRANCAIS, at any moment)."""
    return fold(text) in BACK_TO_FRENCH


def menu_text() -> str:
    """The numbered menu, each language named in itself."""
    lines = [f"{number} {language.native_name}" for number, language in enumerate(MENU_ORDER, start=1)]
    return "Langue / Language / اللغة\n" + "\n".join(lines) + "\nRépondez par le numéro / Reply with the number"


def parse_choice(text: str, menu_open: bool = True) -> Language | None:
    """The language chosen by its menu number (only while the menu is open) or by its name, else None."""
    folded = fold(text)
    if menu_open and folded.isdigit():
        number = int(folded)
        return MENU_ORDER[number - 1] if 1 <= number <= len(MENU_ORDER) else None
    if not menu_open and len(folded) <= 2:
        return None  # "en", "es", "tr" alone are choices only as an answer to the menu
    for language, names in NAMES.items():
        if folded in names:
            return language
    return None


def confirmation(language: Language) -> str:
    """What the assistant says once the language is chosen."""
    return CONFIRMATIONS[language]
