"""One home for the language variants of the texts residents read in Python modules (issue 23).

French is the source: a module's constant (``bot.notices.SMS_STOPPED``). Its variants live in
``translations/<file>.yml`` (``module``, then ``texts: {CONSTANT: {ar: ..., en: ...}}``, with
``translated_on`` and ``review``), written by hand and never machine-translated at run time. Words that come
from a configuration file (a motive's label, the papers to bring, a reminder's name) are in a file with
``source`` (that file's path) and ``phrases: {French text: {ar: ..., en: ...}}``. :func:`localize`
gives the variant of a French text in a language, or the French itself when there is none (a test makes sure
there always is one for every supported language).
"""

from __future__ import annotations

import importlib
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.language.codes import PRIOR

TRANSLATIONS_DIR = Path(__file__).resolve().parents[2] / "translations"
# The languages every resident-facing text is written in, besides French (Ukrainian and Russian: routing only).
TRANSLATED: tuple[str, ...] = ("ar", "en", "es", "pt", "tr", "ro")


@lru_cache(maxsize=2)
def catalogue(directory: Path = TRANSLATIONS_DIR) -> dict[str, dict[str, str]]:
    """French text -> {language: variant}, over every translation file (module constants resolved)."""
    found: dict[str, dict[str, str]] = {}
    for path in sorted(directory.glob("*.yml")):
        data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for french, variants in (data.get("phrases") or {}).items():
            found[str(french)] = {str(code): str(text) for code, text in (variants or {}).items()}
        if "module" not in data:
            continue
        module = importlib.import_module(str(data["module"]))
        for name, variants in (data.get("texts") or {}).items():
            french = getattr(module, name)
            found[str(french)] = {str(code): str(text) for code, text in (variants or {}).items()}
    return found


def localize(french: str, language: str | None) -> str:
    """The variant of a French text in ``language`` (the French text itself for French or when missing)."""
    if not language or language == PRIOR.value:
        return french
    return catalogue().get(french, {}).get(language, french)
