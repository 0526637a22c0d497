"""Written translations of knowledge-base answers (issue 23), kept beside the kb in ``kb/translations/*.yml``.

Each file: ``translated_on``, ``review`` ("to be reviewed by a native-speaking mediator") and ``answers``:
``{<kb id>: {<language>: <answer>}}``, written by hand from the French answer (never machine-translated at run
time), facts unchanged. ``bot.kb.generate`` turns them into conditional variations of ``utter_faq/<id>`` on the
``language`` slot. A topic without a written translation gets, in the resident's language, an honest line
saying the answer exists only in French, the French answer, and the offer of a mediator or an appointment.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.kb.model import KB_DIR

TRANSLATIONS_DIR = KB_DIR / "translations"
REVIEW = "to be reviewed by a native-speaking mediator"
LANGUAGES: tuple[str, ...] = ("ar", "en", "es", "pt", "tr", "ro")

# The honest answer for a topic not translated yet: before and after the French answer.
ONLY_IN_FRENCH: dict[str, str] = {
    "ar": "هذا الجواب متوفر بالفرنسية فقط:",
    "en": "This answer exists only in French:",
    "es": "Esta respuesta solo existe en francés:",
    "pt": "Esta resposta só existe em francês:",
    "tr": "Bu cevap yalnızca Fransızca var:",
    "ro": "Acest răspuns există doar în franceză:",
}
OFFER: dict[str, str] = {
    "ar": "للمساعدة اكتب MEDIATEUR (شخص) أو RDV (موعد).",
    "en": "For help, write MEDIATEUR (a person) or RDV (an appointment).",
    "es": "Para ayuda, escriba MEDIATEUR (una persona) o RDV (una cita).",
    "pt": "Para ajuda, escreva MEDIATEUR (uma pessoa) ou RDV (uma marcação).",
    "tr": "Yardım için MEDIATEUR (bir görevli) ya da RDV (randevu) yazın.",
    "ro": "Pentru ajutor, scrieți MEDIATEUR (o persoană) sau RDV (programare).",
}


@dataclass(frozen=True)
class Translation:
    """One written translation of one kb answer."""

    kb_id: str
    language: str
    answer: str
    translated_on: str
    review: str
    file: str


def load_translations(directory: Path = TRANSLATIONS_DIR) -> list[Translation]:
    """Every written translation, by file then kb id then language order."""
    found: list[Translation] = []
    for path in sorted(directory.glob("*.yml")):
        data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for kb_id, answers in (data.get("answers") or {}).items():
            for language in LANGUAGES:
                if language in (answers or {}):
                    found.append(
                        Translation(
                            str(kb_id),
                            language,
                            str(answers[language]),
                            str(data.get("translated_on") or ""),
                            str(data.get("review") or ""),
                            path.name,
                        )
                    )
    return found


def by_topic(translations: list[Translation]) -> dict[str, dict[str, Translation]]:
    """kb id -> language -> translation."""
    table: dict[str, dict[str, Translation]] = {}
    for translation in translations:
        table.setdefault(translation.kb_id, {})[translation.language] = translation
    return table


def only_in_french(language: str, french: str) -> str:
    """The honest answer of an untranslated topic in ``language``."""
    return f"{ONLY_IN_FRENCH[language]} {french} {OFFER[language]}"
