"""Every custom action the domain names is registered by the action server, and none is left unnamed."""

from __future__ import annotations

import yaml
from rasa_sdk.executor import ActionExecutor

from bot.settings import PROJECT_ROOT


def domain_actions() -> set[str]:
    """The custom (non-``utter_``) actions listed across domain/*.yml."""
    names: set[str] = set()
    for path in sorted((PROJECT_ROOT / "domain").glob("*.yml")):
        content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        names |= {a for a in content.get("actions") or [] if not a.startswith("utter_")}
    return names


def test_every_action_of_the_domain_is_registered_and_every_registered_action_is_in_the_domain() -> None:
    executor = ActionExecutor()
    executor.register_package("actions")
    registered = set(executor.actions)
    declared = domain_actions()
    assert declared, "no custom action found in domain/"
    assert declared - registered == set(), "named in the domain but not registered by actions/"
    assert registered - declared == set(), "registered by actions/ but missing from the domain"
