"""Draw the French part of the language held-out set from the NLU examples (run once; the result is committed).

    .venv/bin/python bench/language_heldout.py FOLDER > tests/data/languages_heldout.yml

The other languages' messages were written by hand (``<code>.txt`` in FOLDER, any folder of yours), never copied from
``data/languages``. French: the NLU examples of at most 6 words (the short SMS that off-the-shelf detectors
misread), sorted by length then text, one in every ``STRIDE``: the held-out messages are then removed from the
detector's training (``bot.language.samples.training_set``), and the others stay in it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.language.codes import Language  # noqa: E402
from bot.language.samples import nlu_examples, read_lines  # noqa: E402

MAX_WORDS = 6
FRENCH_COUNT = 600


def draw_french(count: int = FRENCH_COUNT) -> list[str]:
    """Short French NLU examples spread over lengths and intents."""
    short = sorted((t for t in nlu_examples() if len(t.split()) <= MAX_WORDS), key=lambda t: (len(t.split()), t))
    stride = max(1, len(short) // count)
    return short[::stride][:count]


def main(written_dir: str) -> None:
    """Print the held-out YAML."""
    languages: dict[str, list[str]] = {Language.FR.value: draw_french()}
    for language in Language:
        path = Path(written_dir) / f"{language.value}.txt"
        if path.exists():
            languages[language.value] = read_lines(path)
    header = (
        "# Language routing held-out set: NEVER used for training (bot.language.samples removes these messages).\n"
        "# fr: short NLU examples drawn by bench/language_heldout.py; the others written by hand as residents text.\n"
    )
    print(header + yaml.safe_dump({"languages": languages}, allow_unicode=True, sort_keys=False, width=200), end="")


if __name__ == "__main__":
    main(sys.argv[1])
