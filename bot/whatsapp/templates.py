"""WhatsApp templates approved by Meta, sent by their Twilio content id (``ContentSid``) and variables.

``config/whatsapp_templates.yml`` lists each template: its purpose, the body submitted for approval, the
variable holding its content id (``TWILIO_WHATSAPP_CONTENT_*``, read by ``bot.settings``) and which value fills
each placeholder. A template whose content id is not configured is not sent: the message is shown as not
delivered, never dropped silently.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.settings import PROJECT_ROOT

TEMPLATES_FILE = PROJECT_ROOT / "config" / "whatsapp_templates.yml"
_PLACEHOLDER = re.compile(r"\{\{(\d+)\}\}")
MAX_VARIABLE_CHARS = 200


class TemplateError(ValueError):
    """A template file or a template message that cannot be used."""


@dataclass(frozen=True)
class Template:
    """One approved template."""

    key: str
    purpose: str
    content_sid_variable: str
    body: str
    variables: Mapping[str, str]  # placeholder number -> value name
    content_sid: str = ""  # empty: not registered with Twilio yet
    offered: bool = False  # offered to mediators in the console once the window closed

    def content_variables(self, values: Mapping[str, str]) -> str:
        """Twilio's ``ContentVariables`` JSON (``{"1": "...", ...}``); every value is required and non-empty."""
        filled: dict[str, str] = {}
        for number, name in self.variables.items():
            value = " ".join(str(values.get(name, "")).split())[:MAX_VARIABLE_CHARS]
            if not value:
                raise TemplateError(f"template {self.key}: no value for {name}")
            filled[number] = value
        return json.dumps(filled, ensure_ascii=False)

    def text(self, values: Mapping[str, str]) -> str:
        """The text the person reads (for the transcript and the console)."""
        filled = json.loads(self.content_variables(values))
        return _PLACEHOLDER.sub(lambda m: str(filled.get(m.group(1), m.group(0))), self.body)


@dataclass(frozen=True)
class Templates:
    """The configured templates by key."""

    by_key: Mapping[str, Template]

    def get(self, key: str) -> Template:
        """One template (``TemplateError`` when unknown)."""
        try:
            return self.by_key[key]
        except KeyError as exc:
            raise TemplateError(f"unknown WhatsApp template {key}") from exc

    def offered(self) -> list[Template]:
        """The templates a mediator may send after the window: those registered with Twilio."""
        return [t for t in self.by_key.values() if t.content_sid and t.offered]


FOLLOW_UP = "follow_up"
BOOKING_REMINDER = "booking_reminder"


def load_templates(content_sids: Mapping[str, str], path: Path = TEMPLATES_FILE) -> Templates:
    """Read the template file; ``content_sids``: the ``TWILIO_WHATSAPP_CONTENT_*`` variables (settings)."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    templates: dict[str, Template] = {}
    for key, entry in (raw.get("templates") or {}).items():
        variables = {str(n): str(name) for n, name in (entry.get("variables") or {}).items()}
        body = str(entry["body"])
        if set(_PLACEHOLDER.findall(body)) != set(variables):
            raise TemplateError(f"template {key}: the placeholders of its body and its variables differ")
        variable = str(entry["content_sid"])
        templates[str(key)] = Template(
            str(key),
            str(entry["purpose"]),
            variable,
            body,
            variables,
            content_sids.get(variable, ""),
            bool(entry.get("offered", False)),
        )
    return Templates(templates)
