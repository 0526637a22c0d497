"""Every custom action the domain names is registered by the action server, and none is left unnamed."""

from __future__ import annotations

from typing import Any

import yaml
from rasa_sdk.executor import ActionExecutor
from rasa_sdk.forms import FormValidationAction

import actions.session_start
from bot.settings import PROJECT_ROOT


def domain_action_entries() -> dict[str, dict[str, Any]]:
    """The custom (non-``utter_``) actions listed across domain/*.yml, with their options (``send_domain``)."""
    entries: dict[str, dict[str, Any]] = {}
    for path in sorted((PROJECT_ROOT / "domain").glob("*.yml")):
        content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for entry in content.get("actions") or []:
            name, options = next(iter(entry.items())) if isinstance(entry, dict) else (entry, {})
            if not name.startswith("utter_"):
                entries[name] = options or {}
    return entries


def domain_actions() -> set[str]:
    """The custom (non-``utter_``) action names of domain/*.yml."""
    return set(domain_action_entries())


def test_every_action_of_the_domain_is_registered_and_every_registered_action_is_in_the_domain() -> None:
    executor = ActionExecutor()
    executor.register_package("actions")
    registered = set(executor.actions)
    declared = domain_actions()
    assert declared, "no custom action found in domain/"
    assert declared - registered == set(), "named in the domain but not registered by actions/"
    assert registered - declared == set(), "registered by actions/ but missing from the domain"


def test_actions_that_read_the_domain_ask_rasa_for_it() -> None:
    # The action endpoint has enable_selective_domain: an action without send_domain gets an empty domain.
    # Form validators read the form's slots from it, the session start its session_config.
    needing = {actions.session_start.ActionSessionStart().name()}
    executor = ActionExecutor()
    executor.register_package("actions")
    for name, action in executor.actions.items():
        owner = getattr(action, "__self__", None)
        if owner is not None and isinstance(owner, FormValidationAction):
            needing.add(name)
    assert {"validate_booking_form", "validate_booking_cancel_form"} <= needing
    sending = {name for name, options in domain_action_entries().items() if options.get("send_domain")}
    assert sending == needing
