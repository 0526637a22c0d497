"""What the assistant answers to a follow-up, given what the conversation was about (plain data out).

:func:`follow_up_reply` returns a :class:`Reply`: texts to send, in order, and the FAQ topic whose answer is
repeated (sent as the domain response ``utter_faq/<topic>``, so that PLUS and later follow-ups still find it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from bot.conversation.context import Context, Service
from bot.conversation.followup import FollowUp, Kind
from bot.kb.model import Entry
from bot.kb.steps import pack_steps
from bot.site_messages import address_messages, day_hours_messages, site_query
from bot.sites import SiteDirectory

NEED_TOPIC = (
    "De quelle démarche parlez-vous ? Posez votre question en quelques mots, par exemple "
    "« comment demander le RSA ». Ou écrivez RDV pour venir au PIMMS."
)
NO_STEPS = "Pour cette démarche, un médiateur du PIMMS peut vous aider pas à pas : écrivez RDV pour un rendez-vous."


def relative_intro(relative: str) -> str:
    """The line before the same answer for a relative."""
    return (
        f"Pour {relative}, voici les informations sur le même sujet. Sa situation peut changer la réponse : "
        "un médiateur peut vérifier avec vous, écrivez RDV."
    )


@dataclass(frozen=True)
class Reply:
    """Texts to send, then (optionally) the FAQ topic's answer as its domain response."""

    texts: list[str] = field(default_factory=list)
    topic: str | None = None


def _site_text(context: Context, directory: SiteDirectory, home_site: str | None) -> str:
    """The lookup text of the counter the conversation is about (named earlier, else remembered, else all)."""
    named = directory.find(context.text) if context.text else None
    return named.id if named else site_query(directory, home_site)


def follow_up_reply(
    follow_up: FollowUp,
    context: Context,
    kb: Mapping[str, Entry],
    directory: SiteDirectory,
    now: datetime,
    home_site: str | None = None,
) -> Reply:
    """The answer to ``follow_up`` read against ``context``."""
    entry = kb.get(context.topic) if context.service == Service.FAQ and context.topic else None
    if follow_up.kind == Kind.DAY:
        part = follow_up.part.value if follow_up.part else None
        query = _site_text(context, directory, home_site)
        return Reply(day_hours_messages(directory, query, now, follow_up.weekday, follow_up.offset, part))
    if follow_up.kind == Kind.WHERE or (follow_up.kind == Kind.HOW and context.service == Service.ADDRESS):
        return Reply(address_messages(directory, _site_text(context, directory, home_site)))
    if entry is None:
        return Reply([NEED_TOPIC])
    if follow_up.kind == Kind.RELATIVE:
        return Reply([relative_intro(follow_up.relative or "cette personne")], topic=entry.id)
    return Reply(pack_steps(entry.steps) if entry.steps else [NO_STEPS])
