"""The import graph of the application and its package map: `python bench/architecture.py [ROOT]`.

Reads the Python files of `bot/`, `actions/`, `channels/`, `components/` and `stores/` as text (`ast`, nothing is
imported or run) and prints the figures of docs/architecture.md's "Measured" table: file cycles, package cycles,
imports the package map forbids, the largest module and the longest function. `tests/unit/test_layers.py` holds
the same map to the code.

A *room* is one node of the map: a subpackage of `bot/` (`bot.booking`), a loose module of `bot/`
(`bot.settings`), or a whole adapter package (`actions`, `channels`, `components`, `stores`). Every import
counts, also one inside a function or under `TYPE_CHECKING`: a late import hides a dependency, it does not
remove it.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

APP_PACKAGES = ("bot", "actions", "channels", "components", "stores")

# Who may import whom: a room may import the rooms of its own layer and of every layer below it, never one
# above. Within a layer the import graph must still be acyclic (`cycles`). A room missing from the map is
# an error of its own (a new package must be placed). Keep in step with docs/architecture.md, "Package map".
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "base",
        (
            "bot",
            "bot.settings",
            "bot.clock",
            "bot.text",
            "bot.phone",
            "bot.identity",
            "bot.french_dates",
            "bot.public_holidays",
            "bot.local_time",
            "bot.sites",
            "bot.danger",
            "bot.danger_phrases",
            "bot.danger_phrases_arabic",
            "bot.danger_texts",
            "bot.response_variants",
            "bot.commands",
            "bot.optout_intent",
            "bot.unknown_words",
            "bot.notices",
            "bot.ratelimit",
            "bot.dedup",
            "bot.fifo_lock",
            "bot.redis_connect",
            "bot.replies",
            "bot.tracker_history",
        ),
    ),
    (
        "tools",
        ("bot.sms", "bot.security", "bot.language", "bot.site_messages", "bot.kb", "bot.nlu_model", "bot.whatsapp"),
    ),
    ("records", ("bot.activity", "bot.optout")),
    ("delivery", ("bot.outbound", "bot.reminders")),
    ("services", ("bot.booking", "bot.handoff", "bot.inbound", "bot.conversation")),
    ("privacy", ("bot.privacy",)),
    ("composition", ("bot.wiring", "bot.reports")),
    ("applications", ("bot.console", "bot.ops", "bot.__main__")),
    ("adapters", ("actions", "channels", "components", "stores")),
)


def layer_of(layers: Iterable[tuple[str, tuple[str, ...]]] = LAYERS) -> dict[str, int]:
    """Room -> its layer's index (0 = lowest)."""
    return {room: index for index, (_, rooms) in enumerate(layers) for room in rooms}


def modules(root: Path) -> dict[str, Path]:
    """Dotted module name -> file, for every application module under ``root``."""
    found: dict[str, Path] = {}
    for package in APP_PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


def room_of(module: str, root: Path) -> str:
    """The room a module belongs to (see the module's docstring)."""
    parts = module.split(".")
    if parts[0] != "bot" or len(parts) == 1:
        return parts[0]
    return f"bot.{parts[1]}" if (root / "bot" / parts[1]).is_dir() else module


def imports_of(module: str, path: Path, known: Mapping[str, Path]) -> set[str]:
    """The application modules ``module`` imports (absolute and relative, at any depth of the file)."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    targets: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                kept = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(kept + ([base] if base else []))
            names = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
        for name in names:
            while name and name not in known:
                name = name.rpartition(".")[0]
            if name and name != module:
                targets.add(name)
    return targets


@dataclass(frozen=True)
class Graph:
    """Module-level and room-level import edges."""

    files: dict[str, set[str]]
    rooms: dict[str, set[str]]
    room_of: dict[str, str]


def graph(root: Path) -> Graph:
    """The import graph of the application under ``root``."""
    known = modules(root)
    files = {module: imports_of(module, path, known) for module, path in known.items()}
    rooms_of = {module: room_of(module, root) for module in known}
    rooms: dict[str, set[str]] = {room: set() for room in rooms_of.values()}
    for module, targets in files.items():
        for target in targets:
            if rooms_of[module] != rooms_of[target]:
                rooms[rooms_of[module]].add(rooms_of[target])
    return Graph(files, rooms, rooms_of)


def cycles(edges: Mapping[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one node (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in edges.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for node in sorted(edges):
        if node not in index:
            visit(node)
    return sorted(found)


def forbidden(found: Graph, layers: Iterable[tuple[str, tuple[str, ...]]] = LAYERS) -> list[str]:
    """``importer -> imported`` for every file import that climbs the package map, or that leaves it."""
    rank = layer_of(layers)
    problems = []
    for module, targets in sorted(found.files.items()):
        source = found.room_of[module]
        for target in sorted(targets):
            room = found.room_of[target]
            if source == room:
                continue
            if source not in rank or room not in rank:
                problems.append(f"{module} -> {target} (room {source if source not in rank else room} not in the map)")
            elif rank[room] > rank[source]:
                problems.append(f"{module} -> {target} (upward)")
    return problems


def longest_function(root: Path) -> tuple[int, str]:
    """(lines, where) of the longest function or method of the application, nested ones counted whole."""
    best = (0, "")
    for path in modules(root).values():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno is not None:
                length = node.end_lineno - node.lineno + 1
                best = max(best, (length, f"{path.relative_to(root)}:{node.name}"))
    return best


def largest_module(root: Path) -> tuple[int, str]:
    """(lines, path) of the largest application module."""
    return max(
        (len(path.read_text(encoding="utf-8").splitlines()), str(path.relative_to(root)))
        for path in modules(root).values()
    )


def main(argv: list[str]) -> int:
    """Print the figures for the tree at ``argv[0]`` (default: this checkout)."""
    root = Path(argv[0]) if argv else Path(__file__).resolve().parents[1]
    found = graph(root)
    file_cycles, room_cycles = cycles(found.files), cycles(found.rooms)
    problems = forbidden(found)
    lines, where = largest_module(root)
    length, function = longest_function(root)
    print(f"rooms: {len(found.rooms)}, room arrows: {sum(len(v) for v in found.rooms.values())}")
    print(f"file cycles: {len(file_cycles)} {file_cycles}")
    print(f"package cycles: {len(room_cycles)} {room_cycles}")
    print(f"imports the package map forbids: {len(problems)}")
    for problem in problems:
        print(f"  {problem}")
    print(f"largest module: {lines} lines ({where})")
    print(f"longest function: {length} lines ({function})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
