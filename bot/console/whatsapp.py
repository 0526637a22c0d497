"""The console's view of WhatsApp's 24-hour window: its state on a WhatsApp conversation and, once it closed,
the approved follow-up template a mediator may send instead of a free-form reply (``POST /c/{ref}/modele``).

A free-form reply after the window is refused by the transport (``Refusal.OUTSIDE_WINDOW``) and shown "Non
envoyé" in the transcript; the template asks the person to write back, which opens the window again.
"""

from __future__ import annotations

import functools
from typing import Any

import redis.asyncio as aioredis
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot import identity, wiring
from bot.clock import Clock, system_clock
from bot.console.access import record
from bot.console.auth import Session
from bot.console.routes import action, deps, done
from bot.handoff.models import TransitionError
from bot.handoff.rasa_api import RasaApiError
from bot.outbound.proactive import Proactive, TemplateMessage
from bot.settings import Settings
from bot.whatsapp.templates import FOLLOW_UP, Template, TemplateError, Templates, load_templates
from bot.whatsapp.window import ServiceWindow

OPEN = "Fenêtre WhatsApp ouverte : réponses libres encore {left}."
CLOSED = (
    "Plus de 24 h sans message de la personne : WhatsApp refuse les réponses libres. Envoyez le modèle "
    "ci-dessous ; dès que la personne répond, vous pouvez lui écrire librement."
)
NOT_CONFIGURED = "Plus de 24 h sans message de la personne, et aucun modèle WhatsApp configuré (docs/deploy.md)."


def left_label(seconds: float) -> str:
    """``"3 h 05"``, ``"12 min"``."""
    minutes = max(1, int(seconds // 60))
    return f"{minutes // 60} h {minutes % 60:02d}" if minutes >= 60 else f"{minutes} min"


class WhatsAppWindowOffer:
    """The window's state and the follow-up template, for one console."""

    def __init__(self, settings: Settings, clock: Clock | None = None) -> None:
        self.settings = settings
        self.clock = clock or system_clock()

    @functools.cached_property
    def templates(self) -> Templates:
        """The configured templates (read once)."""
        return load_templates(self.settings.twilio.whatsapp_content_sids)

    @functools.cached_property
    def values(self) -> dict[str, str]:
        """The follow-up's variables."""
        return {"network": wiring.sites(self.settings).network}

    def follow_up(self) -> Template | None:
        """The template offered to mediators (registered with Twilio), if any."""
        offered = [template for template in self.templates.offered() if template.key == FOLLOW_UP]
        return offered[0] if offered else None

    async def state(self, redis: aioredis.Redis, sender_id: str) -> dict[str, Any] | None:
        """What the conversation page shows (None for other channels). ``seconds_left`` lets the page switch to
        ``closed_state`` and show the template when the window closes while it is open (no event marks that)."""
        if not identity.WHATSAPP.owns(sender_id):
            return None
        left = await ServiceWindow(redis, self.clock).remaining(sender_id)
        template = self.follow_up()
        closed = NOT_CONFIGURED if template is None else CLOSED
        return {
            "open": bool(left),
            "state": OPEN.format(left=left_label(left)) if left else closed,
            "closed_state": closed,
            "seconds_left": int(left),
            "template": "" if template is None else template.text(self.values),
        }

    def routes(self) -> list[Route]:
        """``POST /c/{sender_id}/modele`` (only with the WhatsApp channel on)."""
        if not self.settings.twilio.whatsapp_enabled:
            return []
        return [Route("/c/{sender_id}/modele", action(self.send_follow_up), methods=["POST"])]

    async def send_follow_up(self, request: Request, session: Session, form: dict[str, str]) -> Response:
        """Send the follow-up template as the mediator's message (recorded with its delivery state)."""
        sender_id = request.path_params["sender_id"]
        template = self.follow_up()
        if template is None or not identity.WHATSAPP.owns(sender_id):
            return done(request, sender_id, NOT_CONFIGURED, "not_delivered")
        try:
            text = Proactive(template.text(self.values), TemplateMessage(FOLLOW_UP, self.values))
            result = await deps(request).service.reply(sender_id, session.name, text)
        except (TransitionError, TemplateError) as exc:
            return done(request, sender_id, str(exc))
        except RasaApiError:
            return done(request, sender_id, "L'assistant ne répond pas. Réessayez dans un instant.")
        await record(request, session.name, "reply", sender_id)
        return done(request, sender_id, "" if result.ok else f"Modèle non remis. {result.label()}.", "not_delivered")
