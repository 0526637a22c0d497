"""The languages the assistant can route to, each named in itself (French is the source and the prior)."""

from __future__ import annotations

from enum import Enum


class Language(str, Enum):
    """ISO 639-1 codes of the supported languages, in the order of the LANGUE menu."""

    FR = "fr"
    AR = "ar"
    EN = "en"
    ES = "es"
    PT = "pt"
    TR = "tr"
    RO = "ro"
    UK = "uk"
    RU = "ru"

    @property
    def native_name(self) -> str:
        """The language's name written in that language."""
        return NATIVE_NAMES[self]


NATIVE_NAMES: dict[Language, str] = {
    Language.FR: "Français",
    Language.AR: "العربية",
    Language.EN: "English",
    Language.ES: "Español",
    Language.PT: "Português",
    Language.TR: "Türkçe",
    Language.RO: "Română",
    Language.UK: "Українська",
    Language.RU: "Русский",
}

MENU_ORDER: tuple[Language, ...] = tuple(Language)
PRIOR = Language.FR
# Languages told apart by the Latin-script detector (the others are recognised by their script).
LATIN_LANGUAGES: tuple[Language, ...] = (
    Language.FR,
    Language.AR,  # Darija written in Latin letters ("Arabizi")
    Language.EN,
    Language.ES,
    Language.PT,
    Language.TR,
    Language.RO,
)
