"""bench/mutation.py: which mutants a small module gets, and what each one changes."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[3]

SOURCE = '''
from typing import Literal

Kind = Literal["a", "b"]
WORDS = ("stop", "arret")


def decide(text: str, strict: bool = True) -> str:
    """A docstring is never mutated."""
    if len(text) > 10:
        return "long"
    if text in WORDS and not strict:
        return "stop"
    return "none"
'''


def _module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_mutation", ROOT / "bench" / "mutation.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


MUTATION = _module()


def _run(source: str) -> object:
    namespace: dict[str, object] = {}
    exec(compile(source, "<mutant>", "exec"), namespace)  # noqa: S102 - our own test source
    return namespace["decide"]


def test_each_operator_once_and_never_annotations_or_docstrings() -> None:
    found = [m.what.split(":")[0].split(" `")[0] for m in MUTATION.mutants("m.py", SOURCE)]
    assert sorted(found) == sorted(
        ["remove entry"] * 2
        + ["negate comparison"] * 2
        + ["swap and/or", "drop not", "flip boolean"]
        + ["return None"] * 3
        + ["delete if"] * 2
        + ["swap ifs"]
    )


def test_each_mutant_changes_behaviour_as_described() -> None:
    outcomes = {}
    for mutant in MUTATION.mutants("m.py", SOURCE):
        decide = _run(MUTATION.mutated_source(SOURCE, mutant.index))
        outcomes[mutant.what] = (decide("x" * 11), decide("arret", False), decide("stop"))  # type: ignore[operator]
    assert _run(SOURCE)("arret", False) == "stop"  # type: ignore[operator]
    assert outcomes["remove entry `'arret'`"] == ("long", "none", "none")
    assert outcomes["delete if: `if len(text) > 10`"][0] == "none"
    assert outcomes["drop not: `not strict`"] == ("long", "none", "stop")
    assert outcomes["swap ifs: `if len(text) > 10`"] == ("long", "stop", "none")
    assert outcomes["flip boolean: `True`"][2] == "stop"


def test_update_of_one_module_keeps_the_other_modules_rows() -> None:
    old = [
        "`make mutation`: 3 mutants.",
        "",
        "| module | tests run | mutants | killed | timeout | survived | survival rate |",
        "|---|---|---|---|---|---|---|",
        "| `bot/danger.py` | test_danger.py | 2 | 1 | 0 | 1 | 50% |",
        "| `bot/optout.py` | test_optout.py | 1 | 1 | 0 | 0 | 0% |",
        "| `bot/gone.py` | test_gone.py | 1 | 1 | 0 | 0 | 0% |",
        "",
        "Survivors:",
        "",
        "- `bot/danger.py:3` delete if (survived)",
        "- `bot/optout.py:9` swap ifs (survived)",
    ]
    new = [
        "`make mutation`: 2 mutants.",
        "",
        "| module | tests run | mutants | killed | timeout | survived | survival rate |",
        "|---|---|---|---|---|---|---|",
        "| `bot/danger.py` | test_danger.py | 2 | 2 | 0 | 0 | 0% |",
    ]
    merged = MUTATION.with_old_rows(new, old, {"bot/danger.py"})
    assert "| `bot/optout.py` | test_optout.py | 1 | 1 | 0 | 0 | 0% |" in merged
    assert not any("bot/gone.py" in line for line in merged)  # its file no longer exists
    assert "- `bot/optout.py:9` swap ifs (survived)" in merged
    assert not any(line.startswith("- `bot/danger.py") for line in merged)  # this run's survivors only
    assert merged.index("| `bot/optout.py` | test_optout.py | 1 | 1 | 0 | 0 | 0% |") == 5
