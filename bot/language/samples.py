"""Training samples of the language detector: ``data/languages/<code>.txt`` and the French NLU examples.

The held-out messages (``tests/data/languages_heldout.yml``) are always left out, so the model that runs is
the model that was measured (a checkout without ``tests/`` would train on them too: a slightly different one).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import yaml

from bot.language.codes import Language

ROOT = Path(__file__).resolve().parents[2]
SAMPLES_DIR = ROOT / "data" / "languages"
NLU_DIR = ROOT / "data" / "nlu"
HELDOUT_FILE = ROOT / "tests" / "data" / "languages_heldout.yml"

_ANNOTATION = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\{[^}]*\})")
# The French NLU data also teaches the assistant to understand a greeting or a thanks in English or Spanish
# ("thank you", "hola que tal"): such examples are not French and are left out of the French samples.
_NOT_FRENCH = re.compile(r"\b(the|you|u|thank|thanks|where|love|is|hola|tal|lot|best|hello|hi)\b")


def read_lines(path: Path) -> list[str]:
    """One message per line; blank lines and ``#`` comments skipped."""
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def written_samples(directory: Path = SAMPLES_DIR) -> dict[Language, list[str]]:
    """The samples written per language (every ``<code>.txt`` of the directory)."""
    return {Language(path.stem): read_lines(path) for path in sorted(directory.glob("*.txt"))}


def strip_annotations(example: str) -> str:
    """``je veux un rdv [caf](motive)`` -> ``je veux un rdv caf``."""
    return _ANNOTATION.sub(r"\1", example).strip()


def nlu_examples(directory: Path = NLU_DIR) -> list[str]:
    """Every NLU example of the French data (annotations removed, English or Spanish look-alikes left out)."""
    found: list[str] = []
    for path in sorted(directory.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for item in data.get("nlu") or []:
            if "intent" not in item:
                continue  # synonyms, lookups and regexes are not messages
            for line in str(item.get("examples") or "").splitlines():
                text = strip_annotations(line.strip().removeprefix("- "))
                if text and not _NOT_FRENCH.search(text.lower()):
                    found.append(text)
    return list(dict.fromkeys(found))


def heldout_texts(path: Path = HELDOUT_FILE) -> set[str]:
    """Every message of the held-out set (whatever its language), never used for training."""
    if not path.exists():
        return set()
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {str(text) for texts in (data.get("languages") or {}).values() for text in texts}


def training_set(
    written: dict[Language, list[str]] | None = None,
    french: Iterable[str] | None = None,
    excluded: set[str] | None = None,
) -> tuple[list[str], list[Language]]:
    """Texts and labels to train on: the written samples plus French, minus the held-out messages."""
    written = written_samples() if written is None else written
    french = nlu_examples() if french is None else french
    excluded = heldout_texts() if excluded is None else excluded
    texts: list[str] = []
    labels: list[Language] = []
    for language, lines in [(Language.FR, list(french)), *written.items()]:
        for text in lines:
            if text not in excluded:
                texts.append(text)
                labels.append(language)
    return texts, labels
