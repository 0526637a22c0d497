"""Consent and the residents' commands: a subscription is only created from an accepted offer, recorded with
its proof; RAPPELS lists, STOP RAPPEL <n> stops one, STOP RAPPELS stops all reminders (and only them), FAIT
silences the last call. STOP alone stays the channels' opt-out of everything (bot/optout.py).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from bot.clock import PARIS
from bot.optout_intent import reminders_stop
from bot.reminders.keywords import DONE_WORDS, LIST_WORDS
from bot.reminders.models import Consent, GivenBy, Subscription
from bot.reminders.programmes import Programme, Programmes
from bot.reminders.schedule import permit_status, quarterly_months, subscription_until
from bot.reminders.texts import (
    ONE_OFF_BAD_DATE,
    PERMIT_EXPIRED,
    PERMIT_LATE,
    PERMIT_TOO_FAR,
    offer_text,
    render,
    subscription_label,
)
from bot.text import normalize

CommandName = Literal["list", "stop_one", "stop_all", "done"]


@dataclass(frozen=True)
class Command:
    """A reminder command recognised in a message (``number`` for ``stop_one``)."""

    name: CommandName
    number: int = 0


def parse_command(text: str) -> Command | None:
    """RAPPELS, STOP RAPPELS, STOP RAPPEL 2, FAIT (case and accents ignored); None for anything else."""
    norm = normalize(text)
    if norm in LIST_WORDS:
        return Command("list")
    is_stop, number = reminders_stop(norm)
    if is_stop:
        return Command("stop_one", number) if number else Command("stop_all")
    if norm in DONE_WORDS:
        return Command("done")
    return None


@dataclass(frozen=True)
class Refusal:
    """No subscription: the text to answer instead (an expired card, a late window, a date too far)."""

    text: str


def _new_id() -> str:
    return secrets.token_hex(4)


def subscribe(
    sender_id: str,
    programme: Programme,
    channel: str,
    now: datetime,
    rules: Programmes,
    *,
    given_by: GivenBy = "resident",
    months: tuple[int, ...] = (),
    last_declaration: date | None = None,
    day: date | None = None,
    new_id: Callable[[], str] = _new_id,
    language: str = "fr",
) -> Subscription | Refusal:
    """The subscription an accepted offer creates, its consent holding the exact offer text; or a refusal (in the
    resident's ``language``)."""
    today = now.astimezone(PARIS).date()
    if programme == Programme.QUARTERLY:
        if last_declaration is not None:
            months = quarterly_months(last_declaration, rules.quarterly.interval_months)
        if not months or any(not 1 <= m <= 12 for m in months):
            raise ValueError("a quarterly subscription needs its months or the last declaration's date")
    if programme in (Programme.RESIDENCE_PERMIT, Programme.ONE_OFF) and day is None:
        raise ValueError(f"a {programme.value} subscription needs a date")
    if programme == Programme.RESIDENCE_PERMIT and day is not None:
        status = permit_status(day, today, rules.permit)
        if status != "ok":
            texts = {"expired": PERMIT_EXPIRED, "late": PERMIT_LATE, "too_far": PERMIT_TOO_FAR}
            return Refusal(render(texts[status], language=language))
    if programme == Programme.ONE_OFF and day is not None:
        if day <= today or (day - today).days > rules.one_off_max_days_ahead:
            return Refusal(render(ONE_OFF_BAD_DATE, language=language))
    text = offer_text(programme, day if programme == Programme.ONE_OFF else None)
    consent = Consent(now, programme, text, channel, given_by)
    return Subscription(
        new_id(),
        sender_id,
        programme,
        consent,
        subscription_until(programme, today, rules, day),
        months=tuple(sorted(set(months))),
        day=day,
    )


def label(sub: Subscription, rules: Programmes, language: str = "fr") -> str:
    """How RAPPELS names a subscription (nothing sensitive: a shared phone), in the resident's language."""
    name = rules.labels[sub.programme]
    if sub.programme == Programme.ONE_OFF and sub.day:
        return subscription_label(name, sub.day, True, language)
    return subscription_label(name, sub.until, False, language)
