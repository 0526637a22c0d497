"""`make mutation`: a small AST mutation check of the safety modules (opt-out, danger, security, privacy,
admission). Not part of `make test`.

Each mutant changes one thing in one module: a comparison negated, ``and``/``or`` swapped, a ``not``
dropped, ``True``/``False`` flipped, a ``return`` made ``None``, an ``if`` deleted, two neighbouring ``if``
statements swapped (the order of the guards), or one entry removed from a literal list of strings or names
(a keyword, a regex, a guard). The module's own unit tests then run against the mutant in a copy of the tree,
time-boxed; a mutant that leaves them green "survived". The survival rate per module goes between markers
in docs/security.md.

    python bench/mutation.py                 # every module, writes docs/security.md
    python bench/mutation.py bot/danger.py   # one module, prints only
    python bench/mutation.py --update bot/danger.py   # one module, its rows updated in docs/security.md
"""

from __future__ import annotations

import argparse
import ast
import copy
import json
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.optout_eval import write_between  # noqa: E402 (needs ROOT on the path when run as a script)

REPORT = ROOT / "docs" / "security.md"
RESULTS = ROOT / "results" / "mutation.json"
START, END = "<!-- mutation:start -->", "<!-- mutation:end -->"
PATTERNS = (
    "bot/optout*.py",
    "bot/danger.py",
    "bot/security/*.py",
    "bot/privacy/*.py",
    "bot/inbound/admission.py",
    "bot/wiring.py",  # was bot/privacy/wiring.py
    "bot/ops/residents.py",  # was bot/privacy/cli.py
)
# Modules whose importers are too many to run per mutant: exactly these test files.
ONLY_TESTS: dict[str, tuple[str, ...]] = {
    "bot/optout.py": (
        "tests/unit/bot/test_optout.py",
        "tests/unit/bot/test_optout_intent.py",
        "tests/unit/bot/test_outbound.py",
        "tests/unit/channels/test_sms_optout.py",
    ),
}
# Test files beyond the mirrored tests/unit/<path>/test_<name>.py and the test files importing the module.
EXTRA_TESTS: dict[str, tuple[str, ...]] = {
    "bot/optout_intent.py": ("tests/unit/bot/test_optout_intent.py", "tests/unit/bot/test_optout_set.py"),
    "bot/danger.py": ("tests/unit/bot/test_optout_set.py",),
    "bot/privacy/erase.py": ("tests/unit/bot/privacy/test_erase.py",),
    "bot/privacy/keys.py": ("tests/unit/bot/privacy/test_keys.py",),
    "bot/privacy/residents.py": ("tests/unit/bot/privacy/test_cli.py",),
    "bot/ops/residents.py": ("tests/unit/bot/privacy/test_cli.py",),
    "bot/privacy/scope.py": ("tests/unit/bot/privacy/test_keywords.py", "tests/unit/bot/privacy/test_gate.py"),
    "bot/privacy/messages.py": ("tests/unit/bot/privacy/test_gate.py",),
    "bot/wiring.py": ("tests/unit/channels/test_privacy_http.py", "tests/unit/bot/test_wiring.py"),
    "bot/security/rasa_auth.py": ("tests/unit/bot/security/test_endpoints_and_auth.py",),
}
_NEGATED: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.Lt: ast.GtE,
    ast.GtE: ast.Lt,
    ast.Gt: ast.LtE,
    ast.LtE: ast.Gt,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
}


@dataclass(frozen=True)
class Mutant:
    """One change: where (line) and what."""

    module: str
    index: int
    line: int
    what: str


@dataclass
class Outcome:
    """What the tests did with a mutant: killed (a test failed), timeout, or survived."""

    mutant: Mutant
    status: str
    seconds: float


def _is_stringish(node: ast.expr) -> bool:
    """A string literal or a concatenation that contains one (a regex built from parts)."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _is_stringish(node.left) or _is_stringish(node.right)
    return False


_BODY_NAMES = ("body", "orelse", "finalbody")
_SPAN = 100_000  # statement variants: body number * _SPAN + statement index


def _bodies(node: ast.AST) -> Iterator[tuple[int, list[ast.stmt]]]:
    for number, name in enumerate(_BODY_NAMES):
        value = getattr(node, name, None)
        if isinstance(value, list) and value and isinstance(value[0], ast.stmt):
            yield number, value


def _body(node: ast.AST, variant: int) -> tuple[list[ast.stmt], int]:
    """The statement list and index a statement variant points at."""
    body = getattr(node, _BODY_NAMES[variant // _SPAN])
    assert isinstance(body, list)
    return body, variant % _SPAN


def _sites(tree: ast.Module) -> Iterator[tuple[ast.AST, str, int]]:
    """Every (node, operator, variant) that can be mutated, in a fixed order.

    Left out as equivalent by construction: type annotations (``Literal[...]``), ``return None`` for a
    ``return False``/``True`` (the boolean flip covers it) and swapping two ``if`` with the same body.
    """
    annotations = {id(n.slice) for n in ast.walk(tree) if isinstance(n, ast.Subscript)}
    returned = {id(n.value) for n in ast.walk(tree) if isinstance(n, (ast.Return, ast.Yield))}
    for node in ast.walk(tree):
        if id(node) in annotations:
            continue
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            continue  # docstrings
        if isinstance(node, ast.Compare):
            for i, op in enumerate(node.ops):
                if type(op) in _NEGATED:
                    yield node, "negate comparison", i
        elif isinstance(node, ast.BoolOp):
            yield node, "swap and/or", 0
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            yield node, "drop not", 0
        elif isinstance(node, ast.Constant) and isinstance(node.value, bool):
            yield node, "flip boolean", 0
        elif isinstance(node, ast.Return) and node.value is not None:
            if not (isinstance(node.value, ast.Constant) and node.value.value in (None, True, False)):
                yield node, "return None", 0
        elif isinstance(node, (ast.Tuple, ast.List, ast.Set)) and len(node.elts) >= 2 and id(node) not in returned:
            stored = isinstance(getattr(node, "ctx", None), ast.Store)
            if not stored and all(_is_stringish(e) or isinstance(e, ast.Name) for e in node.elts):
                for i in range(len(node.elts)):
                    yield node, "remove entry", i
        for number, body in _bodies(node):
            for i, stmt in enumerate(body):
                if isinstance(stmt, ast.If):
                    yield node, "delete if", number * _SPAN + i
                    after = body[i + 1] if i + 1 < len(body) else None
                    if isinstance(after, ast.If) and ast.dump(ast.Module(stmt.body, [])) != ast.dump(
                        ast.Module(after.body, [])
                    ):
                        yield node, "swap ifs", number * _SPAN + i


def _describe(node: ast.AST, what: str, variant: int) -> tuple[int, str]:
    if what in ("delete if", "swap ifs"):
        body, i = _body(node, variant)
        stmt = body[i]
        assert isinstance(stmt, ast.If)
        return stmt.lineno, f"{what}: `if {ast.unparse(stmt.test)[:60]}`"
    if what == "remove entry":
        assert isinstance(node, (ast.Tuple, ast.List, ast.Set))
        entry = node.elts[variant]
        return entry.lineno, f"remove entry `{ast.unparse(entry)[:60]}`"
    return getattr(node, "lineno", 0), f"{what}: `{ast.unparse(node)[:60]}`"


def _apply(node: ast.AST, what: str, variant: int) -> None:
    """Change the node in place."""
    if what == "negate comparison":
        assert isinstance(node, ast.Compare)
        node.ops[variant] = _NEGATED[type(node.ops[variant])]()
    elif what == "swap and/or":
        assert isinstance(node, ast.BoolOp)
        node.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
    elif what == "drop not":
        assert isinstance(node, ast.UnaryOp)
        node.op = ast.UAdd()  # replaced by its operand below
    elif what == "flip boolean":
        assert isinstance(node, ast.Constant)
        node.value = not node.value
    elif what == "return None":
        assert isinstance(node, ast.Return)
        node.value = ast.Constant(value=None)
    elif what == "remove entry":
        assert isinstance(node, (ast.Tuple, ast.List, ast.Set))
        del node.elts[variant]
    else:
        body, i = _body(node, variant)
        if what == "delete if":
            stmt = body[i]
            assert isinstance(stmt, ast.If)
            body[i : i + 1] = stmt.orelse or [ast.Pass()]
        else:
            body[i], body[i + 1] = body[i + 1], body[i]


class _DropUAdd(ast.NodeTransformer):
    """``+x`` marks a dropped ``not``: keep the operand only."""

    def visit_UnaryOp(self, node: ast.UnaryOp) -> ast.AST:
        self.generic_visit(node)
        return node.operand if isinstance(node.op, ast.UAdd) else node


def mutants(module: str, source: str) -> list[Mutant]:
    """Every mutant of a module."""
    tree = ast.parse(source)
    found = []
    for index, (node, what, variant) in enumerate(_sites(tree)):
        line, text = _describe(node, what, variant)
        found.append(Mutant(module, index, line, text))
    return found


def mutated_source(source: str, index: int) -> str:
    """The module's source with mutant ``index`` applied."""
    tree = ast.parse(source)
    node, what, variant = list(_sites(tree))[index]
    _apply(node, what, variant)
    tree = _DropUAdd().visit(copy.deepcopy(tree))
    return ast.unparse(ast.fix_missing_locations(tree))


def tests_for(module: str) -> list[str]:
    """Unit test files for a module: the mirrored one, those importing it, and EXTRA_TESTS."""
    if module in ONLY_TESTS:
        return list(ONLY_TESTS[module])
    path = Path(module)
    dotted = ".".join(path.with_suffix("").parts)
    found = set(EXTRA_TESTS.get(module, ()))
    mirrored = ROOT / "tests" / "unit" / path.parent / f"test_{path.stem}.py"
    if mirrored.exists():
        found.add(str(mirrored.relative_to(ROOT)))
    for test in (ROOT / "tests" / "unit").rglob("test_*.py"):
        text = test.read_text(encoding="utf-8")
        if f"{dotted} import" in text or f"import {dotted}" in text:
            found.add(str(test.relative_to(ROOT)))
    return sorted(t for t in found if (ROOT / t).exists())


def default_modules() -> list[str]:
    """The safety modules present in this tree."""
    modules = {str(p.relative_to(ROOT)) for pattern in PATTERNS for p in ROOT.glob(pattern)}
    return sorted(m for m in modules if Path(m).name != "__init__.py")


def _copy_tree(target: Path) -> None:
    files = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    for name in files:
        src = ROOT / name
        if src.is_file() and not src.is_symlink() and not name.startswith("models/"):
            dst = target / name
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)


def _run_tests(tree: Path, tests: list[str], timeout: float) -> tuple[str, float]:
    started = time.monotonic()
    cmd = [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", "--timeout", "120", *tests]
    try:
        done = subprocess.run(cmd, cwd=tree, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return "timeout", time.monotonic() - started
    status = "survived" if done.returncode == 0 else "killed"
    if done.returncode not in (0, 1):
        status = "killed" if done.returncode == 2 or done.returncode == 3 else f"error {done.returncode}"
    return status, time.monotonic() - started


def check_module(tree: Path, module: str, log: bool = True) -> list[Outcome]:
    """Run every mutant of one module against its tests (the copy is restored after each)."""
    tests = tests_for(module)
    target = tree / module
    original = target.read_text(encoding="utf-8")
    if not tests:
        print(f"{module}: no unit test file found", flush=True)
        return [Outcome(m, "survived", 0.0) for m in mutants(module, original)]
    for _attempt in range(3):  # a test that fails once under load is retried before giving up on the module
        status, baseline = _run_tests(tree, tests, timeout=600)
        if status == "survived":
            break
    else:
        print(f"{module}: its tests fail without any mutant ({status}): {' '.join(tests)}", flush=True)
        return [Outcome(m, "not run", 0.0) for m in mutants(module, original)]
    timeout = 3 * baseline + 10
    outcomes = []
    try:
        for mutant in mutants(module, original):
            target.write_text(mutated_source(original, mutant.index), encoding="utf-8")
            status, seconds = _run_tests(tree, tests, timeout)
            outcomes.append(Outcome(mutant, status, round(seconds, 1)))
            if log and status != "killed":
                print(f"  {module}:{mutant.line} {mutant.what}: {status}", flush=True)
    finally:
        target.write_text(original, encoding="utf-8")
    return outcomes


def report(outcomes: list[Outcome]) -> list[str]:
    """The Markdown block for docs/security.md."""
    by_module: dict[str, list[Outcome]] = {}
    for outcome in outcomes:
        by_module.setdefault(outcome.mutant.module, []).append(outcome)
    lines = [
        f"`make mutation`: {len(outcomes)} mutants.",
        "",
        "| module | tests run | mutants | killed | timeout | survived | survival rate |",
        "|---|---|---|---|---|---|---|",
    ]
    for module, found in by_module.items():
        count = {s: sum(o.status == s for o in found) for s in ("killed", "timeout", "survived")}
        found = [o for o in found if o.status != "not run"]
        rate = count["survived"] / len(found) if found else 0.0
        tests = ", ".join(Path(t).name for t in tests_for(module)) or "none"
        lines.append(
            f"| `{module}` | {tests} | {len(found)} | {count['killed']} | {count['timeout']} | {count['survived']} "
            f"| {rate:.0%} |"
        )
    not_run = sorted({o.mutant.module for o in outcomes if o.status == "not run"})
    if not_run:
        lines += ["", "Not run (the module's tests failed without any mutant, three times): " + ", ".join(not_run)]
    survivors = [o for o in outcomes if o.status not in ("killed", "timeout", "not run")]
    if survivors:
        lines += ["", "Survivors:", ""]
        lines += [f"- `{o.mutant.module}:{o.mutant.line}` {o.mutant.what} ({o.status})" for o in survivors]
    return lines


def main(argv: list[str] | None = None) -> int:
    """Run the check; write docs/security.md when every default module was checked."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help="module paths (default: the safety modules)")
    parser.add_argument("--list", action="store_true", help="only list the mutants and the test files")
    parser.add_argument("--update", action="store_true", help="with modules: update their rows in docs/security.md")
    args = parser.parse_args(argv)
    modules = args.modules or default_modules()
    if args.list:
        for module in modules:
            found = mutants(module, (ROOT / module).read_text(encoding="utf-8"))
            print(f"{module}: {len(found)} mutants, tests: {' '.join(tests_for(module))}")
        return 0
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # the copy of the tree is removed on TERM too
    started = time.monotonic()
    outcomes: list[Outcome] = []
    with tempfile.TemporaryDirectory(prefix="pimms-mutation-") as tmp:
        tree = Path(tmp)
        _copy_tree(tree)
        for module in modules:
            print(f"{module}: {len(tests_for(module))} test files", flush=True)
            done = check_module(tree, module)
            outcomes += done
            _save(merged(done, {module}))  # kept even if the run stops later
    print(f"{len(outcomes)} mutants in {(time.monotonic() - started) / 60:.0f} min", flush=True)
    outcomes = merged(outcomes, set(modules))
    lines = report(outcomes)
    print("\n".join(lines))
    _save(outcomes)
    if not args.modules or args.update:
        write_between(REPORT, START, END, with_old_rows(lines, read_block(REPORT), set(modules)))
    return 0


def read_block(path: Path) -> list[str]:
    """The lines now between the markers of the report (empty when there are none)."""
    text = path.read_text(encoding="utf-8")
    if START not in text or END not in text:
        return []
    return text.split(START, 1)[1].split(END, 1)[0].strip("\n").splitlines()


def _row_module(line: str) -> str | None:
    """`bot/x.py` from a table row or a survivor line of the block, None for other lines."""
    for prefix in ("| `", "- `"):
        if line.startswith(prefix):
            return line[len(prefix) :].split("`", 1)[0].split(":", 1)[0]
    return None


def with_old_rows(new: list[str], old: list[str], run: set[str]) -> list[str]:
    """The new block plus the old block's rows and survivors of modules this run did not check.

    A run on one module (``--update bot/danger.py``) on a fresh clone has no results file to merge: the
    other modules' rows would be lost. Rows of modules whose file no longer exists are dropped.
    """
    present = {_row_module(line) for line in new} - {None}
    keep = [
        line
        for line in old
        if (module := _row_module(line)) and module not in run and module not in present and (ROOT / module).exists()
    ]
    rows = [line for line in keep if line.startswith("| `")]
    survivors = [line for line in keep if line.startswith("- `")]
    if not rows and not survivors:
        return new
    out = list(new)
    last_row = max(i for i, line in enumerate(out) if line.startswith("|"))
    out[last_row + 1 : last_row + 1] = rows
    if survivors:
        if "Survivors:" not in out:
            out += ["", "Survivors:", ""]
        out += survivors
    return out


def _save(outcomes: list[Outcome]) -> None:
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps([asdict(o) for o in outcomes], indent=1), encoding="utf-8")


def merged(outcomes: list[Outcome], modules: set[str]) -> list[Outcome]:
    """This run's outcomes with the last run's for the modules not run now (results/mutation.json)."""
    if not RESULTS.exists():
        return outcomes
    kept = []
    for raw in json.loads(RESULTS.read_text(encoding="utf-8")):
        mutant = Mutant(**raw["mutant"])
        if mutant.module not in modules and (ROOT / mutant.module).exists():
            kept.append(Outcome(mutant, raw["status"], raw["seconds"]))
    return sorted(kept + outcomes, key=lambda o: (o.mutant.module, o.mutant.index))


if __name__ == "__main__":
    raise SystemExit(main())
