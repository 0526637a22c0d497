"""A resident's deadline reminders in the console (issue 24): listed on the conversation page, and set up by a
mediator during a counter visit, with the resident's consent recorded as given at the counter.

The mediator reads the offer's text to the resident (shown on the form) and ticks that they agreed: the consent
keeps that exact text, the resident's channel, the moment and ``given_by: mediator``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from bot.clock import PARIS
from bot.console.access import record
from bot.console.agenda import day_deps
from bot.console.auth import Session
from bot.console.routes import action, done
from bot.french_dates import day_label
from bot.reminders.consent import Refusal, label
from bot.reminders.conversation import ReminderConversation, channel_name
from bot.reminders.programmes import Programme, Programmes, load_programmes
from bot.reminders.texts import offer_text

CHOICES = (
    (Programme.ACTUALISATION.value, "Actualisation France Travail (chaque mois)", ""),
    (Programme.QUARTERLY.value, "Déclaration trimestrielle CAF ou MSA", "date de la dernière déclaration"),
    (Programme.RESIDENCE_PERMIT.value, "Renouvellement de la carte de séjour", "date de fin de la carte"),
    (Programme.ONE_OFF.value, "Rappel à une date", "date du rappel"),
)


def _rules(request: Request) -> Programmes:
    rules: Programmes | None = getattr(request.app.state, "reminder_rules", None)
    if rules is None:
        rules = load_programmes()
        request.app.state.reminder_rules = rules
    return rules


def conversation(request: Request) -> ReminderConversation:
    """The reminders over the console's Redis, clock and activity log."""
    day = day_deps(request)
    return ReminderConversation(day.redis, _rules(request), day.now, day.activity)


async def reminders_view(request: Request, sender_id: str) -> dict[str, Any]:
    """The resident's running reminders (what, since when, consent given by whom) and the set-up choices."""
    talk = conversation(request)
    today = talk.now().astimezone(PARIS).date()
    rows = [
        {
            "label": label(sub, talk.rules),
            "since": day_label(sub.consent.at.astimezone(PARIS).date()),
            "by": "au guichet" if sub.consent.given_by == "mediator" else f"par {sub.consent.channel}",
        }
        for sub in await talk.store.active(sender_id, today)
    ]
    choices = [
        {"value": value, "label": text, "date": needs, "offer": offer_text(Programme(value))}
        for value, text, needs in CHOICES
    ]
    return {"active": rows, "choices": choices}


@action
async def set_up(request: Request, session: Session, form: dict[str, str]) -> Response:
    """POST /c/{sender_id}/rappel: a mediator records a reminder the resident agreed to at the counter."""
    sender_id = request.path_params["sender_id"]
    if form.get("consent") != "oui":
        return done(request, sender_id, "Cochez l'accord de la personne pour ce rappel.", "reminder_consent")
    try:
        programme = Programme(form.get("programme", ""))
        day = date.fromisoformat(form["day"]) if form.get("day") else None
    except ValueError:
        return done(request, sender_id, "Rappel ou date invalide.", "reminder_invalid")
    talk = conversation(request)
    kwargs: dict[str, Any] = {"given_by": "mediator"}
    if programme == Programme.QUARTERLY:
        kwargs["last_declaration"] = day
    elif programme != Programme.ACTUALISATION:
        kwargs["day"] = day
    if programme != Programme.ACTUALISATION and day is None:
        return done(request, sender_id, "Rappel ou date invalide.", "reminder_invalid")
    result = await talk.set_up(sender_id, programme, channel_name(sender_id), **kwargs)
    await record(request, session.name, "reminder", sender_id)
    if isinstance(result, Refusal):
        return done(request, sender_id, f"Pas de rappel : {result.text}", "reminder_refused")
    return done(request, sender_id)
