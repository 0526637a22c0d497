"""No literal ``{...}`` reaches a resident: every placeholder of a text template is filled, from configuration
where the value is configuration (``{horizon}``, ``{max_active}`` from config/motives.yml).

Domain responses are filled by Rasa from the keyword arguments of ``dispatcher.utter_message(response=...)``
and from slots; a placeholder neither passed nor a slot would be sent as is. Python templates (module
constants with ``{name}``) are filled by ``.format(name=...)``.
"""

from __future__ import annotations

import ast
import re
import string
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from bot.booking.messages import rule_values
from bot.booking.motives import load_motives

ROOT = Path(__file__).resolve().parents[3]
FIELD = re.compile(r"{(\w+)}")


def domain_parts() -> list[dict[str, object]]:
    """Every file of the domain/ folder, parsed."""
    return [yaml.safe_load(path.read_text(encoding="utf-8")) or {} for path in sorted((ROOT / "domain").glob("*.yml"))]


def response_fields() -> dict[str, set[str]]:
    """Response name -> placeholders in any of its texts or button titles."""
    found: dict[str, set[str]] = {}
    for part in domain_parts():
        for name, variants in (part.get("responses") or {}).items():  # type: ignore[union-attr]
            texts = [str(v.get("text", "")) for v in variants]
            texts += [str(b.get("title", "")) for v in variants for b in v.get("buttons") or []]
            fields = {field for text in texts for field in FIELD.findall(text)}
            if fields:
                found[name] = fields
    return found


def slot_names() -> set[str]:
    """Slots Rasa may fill placeholders from."""
    return {name for part in domain_parts() for name in (part.get("slots") or {})}  # type: ignore[union-attr]


def python_files(*folders: str) -> Iterator[tuple[Path, ast.Module]]:
    """The parsed Python modules of the given project folders."""
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*.py")):
            yield path, ast.parse(path.read_text(encoding="utf-8"))


def passed_fields(call: ast.Call) -> set[str]:
    """Keyword names a call passes, ``**rule_values(...)`` expanded with the configured rules."""
    names = {kw.arg for kw in call.keywords if kw.arg is not None}
    for kw in call.keywords:
        if kw.arg is None and isinstance(kw.value, ast.Call) and ast.unparse(kw.value.func).endswith("rule_values"):
            names |= set(rule_values(load_motives().rules))
        elif kw.arg is None:
            raise AssertionError(f"cannot tell what {ast.unparse(kw.value)} passes: name the fields")
    return names


def utterances() -> dict[str, list[tuple[str, set[str]]]]:
    """Response name -> (where, fields passed) for every ``utter_message(response="...")`` in actions/."""
    found: dict[str, list[tuple[str, set[str]]]] = {}
    for path, tree in python_files("actions"):
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and ast.unparse(node.func).endswith("utter_message")):
                continue
            response = next((kw.value for kw in node.keywords if kw.arg == "response"), None)
            if isinstance(response, ast.Constant) and isinstance(response.value, str):
                where = f"{path.relative_to(ROOT)}:{node.lineno}"
                found.setdefault(response.value, []).append((where, passed_fields(node)))
    return found


def story_and_rule_steps() -> str:
    """The training stories and rules as text (a response named there is uttered by a policy, without fields)."""
    return "\n".join(path.read_text(encoding="utf-8") for path in sorted((ROOT / "data").rglob("*.yml")))


def test_the_placeholders_are_known() -> None:
    """Guards the scan itself: the responses with placeholders the booking flow has are found."""
    fields = response_fields()
    assert fields["utter_booking_no_more_days"] == {"horizon"}
    assert fields["utter_booking_too_many"] == {"max_active"}


@pytest.mark.parametrize("response", sorted(response_fields()))
def test_every_domain_placeholder_is_filled(response: str) -> None:
    missing_everywhere = response_fields()[response] - slot_names()
    if not missing_everywhere:
        return  # slots only: Rasa fills them from the tracker
    calls = utterances().get(response, [])
    assert calls, f"{response} has placeholders {missing_everywhere} but no action utters it with values"
    for where, passed in calls:
        assert missing_everywhere <= passed, f"{where}: {response} needs {sorted(missing_everywhere - passed)}"
    steps = story_and_rule_steps()
    assert not re.search(rf"\baction: {response}\b", steps), f"{response} is predicted by a policy: nothing fills it"


def test_configuration_values_fill_the_booking_texts() -> None:
    values = rule_values(load_motives().rules)
    assert set(values) == {"horizon", "max_active"}
    assert all(value and "{" not in value for value in values.values())
    for part in domain_parts():
        for name, variants in (part.get("responses") or {}).items():  # type: ignore[union-attr]
            for variant in variants:
                text = str(variant.get("text", ""))
                if set(FIELD.findall(text)) <= set(values) and FIELD.search(text):
                    filled = text.format(**values)
                    assert "{" not in filled and "}" not in filled, name


def format_calls() -> dict[str, set[str]]:
    """Constant name -> keyword names of every ``NAME.format(...)`` / ``module.NAME.format(...)`` /
    ``localize(NAME, language).format(...)`` call."""
    found: dict[str, set[str]] = {}
    for _, tree in python_files("bot", "actions", "channels"):
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
                target = node.func.value
                if isinstance(target, ast.Call) and getattr(target.func, "id", "") == "localize" and target.args:
                    target = target.args[0]  # localize(NAME, language).format(...): the French template NAME
                name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
                found.setdefault(name, set()).update(kw.arg for kw in node.keywords if kw.arg)
    return found


def python_templates() -> Iterator[tuple[str, str, set[str]]]:
    """(module, constant, placeholders) for string constants with ``{name}`` in the modules of residents' texts."""
    for path, tree in python_files("bot", "actions", "channels"):
        if not (path.stem.endswith("messages") or path.stem == "notices"):
            continue
        for node in tree.body:
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
                value = node.value.value
                if isinstance(value, str) and FIELD.search(value):
                    fields = {f for _, f, _, _ in string.Formatter().parse(value) if f}
                    for target in node.targets:
                        if isinstance(target, ast.Name):
                            yield str(path.relative_to(ROOT)), target.id, fields


def test_every_python_template_is_formatted_with_all_its_fields() -> None:
    calls = format_calls()
    templates = list(python_templates())
    assert any(name == "ERASE_FAILED" for _, name, _ in templates)  # the scan finds the known one
    for module, name, fields in templates:
        assert fields <= calls.get(name, set()), f"{module}: {name} is never formatted with {sorted(fields)}"
