"""A message the service starts (a reminder, a mediator's follow-up), not a reply: its text, plus the approved
template that carries it on channels that only accept templates after a while (WhatsApp's 24-hour window).

``Proactive`` is a ``str``: every sender and transport reads it as its text; a transport with a template
rule (``bot/outbound/whatsapp_transport.py``) also reads ``template``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class TemplateMessage:
    """Which approved template, and the values of its variables by name (``config/whatsapp_templates.yml``)."""

    key: str
    values: Mapping[str, str]


class Proactive(str):
    """A text with the template that stands for it."""

    template: TemplateMessage

    def __new__(cls, text: str, template: TemplateMessage) -> Proactive:
        """``Proactive("Rappel PIMMS : ...", TemplateMessage("booking_reminder", {...}))``."""
        made = super().__new__(cls, text)
        made.template = template
        return made


def template_of(text: str) -> TemplateMessage | None:
    """The template carried by a text, if any."""
    return text.template if isinstance(text, Proactive) else None
