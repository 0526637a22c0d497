"""The package map of docs/architecture.md holds: no import climbs a layer, no import cycle, no Rasa in bot/.

The map and the graph are in `bench/architecture.py` (an `ast` walk: nothing is imported). The synthetic trees
below show that each rule fails on a tree that breaks it.
"""

from __future__ import annotations

import ast
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def arch() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_architecture", ROOT / "bench" / "architecture.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclass looks itself up there
    spec.loader.exec_module(module)
    return module


def _tree(root: Path, files: dict[str, str]) -> Path:
    for name in ("bot", "actions", "channels", "components", "stores"):
        (root / name).mkdir(exist_ok=True)
        (root / name / "__init__.py").touch()
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.parent != root and not (path.parent / "__init__.py").exists():
            (path.parent / "__init__.py").touch()
        path.write_text(text, encoding="utf-8")
    return root


def test_every_room_of_the_application_is_in_the_package_map(arch: ModuleType) -> None:
    rooms = set(arch.graph(ROOT).rooms)
    assert rooms - set(arch.layer_of()) == set(), "place the new package in LAYERS and docs/architecture.md"


def test_no_import_climbs_the_package_map(arch: ModuleType) -> None:
    assert arch.forbidden(arch.graph(ROOT)) == []


def test_no_import_cycle_between_files_nor_packages(arch: ModuleType) -> None:
    found = arch.graph(ROOT)
    assert arch.cycles(found.files) == []
    assert arch.cycles(found.rooms) == []


def test_bot_never_imports_rasa_nor_its_web_server() -> None:
    offenders = []
    for path in sorted((ROOT / "bot").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names = [node.module]
            offenders += [
                f"{path.relative_to(ROOT)}: {n}" for n in names if n.split(".")[0] in {"rasa", "rasa_sdk", "sanic"}
            ]
    assert offenders == []


def test_a_domain_module_importing_the_console_is_refused(arch: ModuleType, tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            "bot/booking/service.py": "from bot.console.views import label\n",
            "bot/console/views.py": "def label() -> str:\n    return ''\n",
        },
    )
    assert arch.forbidden(arch.graph(root)) == ["bot.booking.service -> bot.console.views (upward)"]


def test_a_late_import_inside_a_function_counts_too(arch: ModuleType, tmp_path: Path) -> None:
    root = _tree(tmp_path, {"bot/settings.py": "def f() -> None:\n    from bot.privacy import erase\n"})
    (root / "bot" / "privacy").mkdir()
    (root / "bot" / "privacy" / "__init__.py").touch()
    (root / "bot" / "privacy" / "erase.py").touch()
    assert arch.forbidden(arch.graph(root)) == ["bot.settings -> bot.privacy.erase (upward)"]


def test_a_package_missing_from_the_map_is_refused(arch: ModuleType, tmp_path: Path) -> None:
    root = _tree(tmp_path, {"bot/newthing/a.py": "from bot import settings\n", "bot/settings.py": ""})
    assert arch.forbidden(arch.graph(root)) == ["bot.newthing.a -> bot.settings (room bot.newthing not in the map)"]


def test_a_circle_between_two_files_and_between_their_packages_is_found(arch: ModuleType, tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            "bot/booking/store.py": "from bot.handoff import models\n",
            "bot/handoff/models.py": "from bot.booking.store import x\n",
        },
    )
    found = arch.graph(root)
    assert arch.cycles(found.files) == [["bot.booking.store", "bot.handoff.models"]]
    assert arch.cycles(found.rooms) == [["bot.booking", "bot.handoff"]]


def test_relative_imports_are_resolved(arch: ModuleType, tmp_path: Path) -> None:
    root = _tree(tmp_path, {"bot/sms/a.py": "from .b import x\nfrom ..booking import store\n", "bot/sms/b.py": ""})
    (root / "bot" / "booking").mkdir()
    (root / "bot" / "booking" / "__init__.py").touch()
    (root / "bot" / "booking" / "store.py").touch()
    assert arch.graph(root).files["bot.sms.a"] == {"bot.sms.b", "bot.booking.store"}
    assert arch.forbidden(arch.graph(root)) == ["bot.sms.a -> bot.booking.store (upward)"]
