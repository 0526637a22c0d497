"""How WhatsApp messages leave (one row of ``OutboundRouter.transports``): free-form within the 24-hour
customer-service window, an approved template after it, or visibly not sent.

- Within the window: the text, buttons numbered in it as by SMS (the reply "1" is mapped back by
  ``ButtonMemory``), one message (WhatsApp is not cut into SMS segments; the daily cap counts one).
- After it: a message that carries a template (``bot.outbound.proactive.Proactive``: reminders, the
  follow-up a mediator sends) leaves as that template, by its Twilio content id; any other message is
  refused with ``Refusal.OUTSIDE_WINDOW``: a mediator's is shown so in the console with the template on
  offer, and every other one joins "Messages non remis". Never sent only to fail at Twilio (error 63016).
- Every message sent is remembered for Twilio's status reports (``bot/outbound/status.py``).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import redis.asyncio as aioredis

from bot.clock import Clock
from bot.identity import WHATSAPP, describe
from bot.outbound.dead_letters import DeadLetters
from bot.outbound.delivery import DeliveryResult, Refusal
from bot.outbound.proactive import TemplateMessage, template_of
from bot.outbound.retry import NO_RETRY, RetryPolicy, with_retries
from bot.outbound.status import SmsStatusIndex
from bot.outbound.transports import Outgoing, Report, bookkeeping
from bot.outbound.whatsapp_sender import MAX_BODY_CHARS, TwilioWhatsAppSender
from bot.settings import Settings
from bot.sms import ButtonMemory, render_buttons
from bot.whatsapp.templates import TemplateError, Templates, load_templates
from bot.whatsapp.window import ServiceWindow

log = logging.getLogger(__name__)
STATUS_PATH = "/webhooks/whatsapp/status"


@dataclass(frozen=True)
class WhatsAppOutgoing(Outgoing):
    """A WhatsApp message as it will leave, with the template that stands for it after the window."""

    template: TemplateMessage | None = None


class WhatsAppTransport:
    """WhatsApp through Twilio, honouring the 24-hour window."""

    def __init__(
        self,
        sender: TwilioWhatsAppSender,
        window: ServiceWindow,
        templates: Templates,
        *,
        retry: RetryPolicy = NO_RETRY,
        buttons: ButtonMemory | None = None,
        status: SmsStatusIndex | None = None,
        dead_letters: DeadLetters | None = None,
    ) -> None:
        self.dead_letters = dead_letters  # automatic messages refused after the window (mediators see them)
        self.sender = sender
        self.window = window
        self.templates = templates
        self.retry = retry
        self.buttons = buttons
        self.status = status

    def prepare(self, text: str, buttons: list[dict[str, Any]] | None) -> Outgoing | None:
        """Buttons numbered in the text; one message."""
        body = (render_buttons(text, buttons) if buttons else text).strip()
        if not body:
            return None
        return WhatsAppOutgoing(body, (body[:MAX_BODY_CHARS],), buttons, template=template_of(text))

    async def send(
        self, sender_id: str, address: str, outgoing: Outgoing, delivery_id: str, sent: list[str]
    ) -> DeliveryResult:
        """Free-form within the window, the template after it, else refused (never sent to fail)."""
        if await self.window.is_open(sender_id):
            if outgoing.buttons and self.buttons is not None:
                await self.buttons.remember(sender_id, outgoing.buttons)
            part = outgoing.parts[0]
            sid = await with_retries(lambda: self.sender.send_whatsapp(address, part), self.retry, "whatsapp")
        elif isinstance(outgoing, WhatsAppOutgoing) and outgoing.template is not None:
            try:
                template = self.templates.get(outgoing.template.key)
                variables = template.content_variables(outgoing.template.values)
            except TemplateError as exc:
                log.error("whatsapp template not sent: %s", exc)
                return await self._refused(sender_id, outgoing, delivery_id, Refusal.NO_TEMPLATE)
            if not template.content_sid:
                log.error("whatsapp template %s has no content id (%s)", template.key, template.content_sid_variable)
                return await self._refused(sender_id, outgoing, delivery_id, Refusal.NO_TEMPLATE)
            content = template.content_sid
            sid = await with_retries(
                lambda: self.sender.send_template(address, content, variables), self.retry, "whatsapp"
            )
        else:
            return await self._refused(sender_id, outgoing, delivery_id, Refusal.OUTSIDE_WINDOW)
        sent.append(str(sid or ""))
        if self.status is not None:
            remember = self.status.remember(sender_id, sent, outgoing.text, delivery_id)
            await bookkeeping(remember, "whatsapp sent but not remembered for its status", sender_id)
        return DeliveryResult.sent(sent, parts=1)

    async def _refused(self, sender_id: str, outgoing: Outgoing, delivery_id: str, reason: Refusal) -> DeliveryResult:
        """Not sent, and visibly so: a console message (``delivery_id``) shows its state itself; any other
        (a reminder, an agenda notice) joins "Messages non remis"."""
        result = DeliveryResult.refused(reason)
        log.warning("whatsapp message to %s not sent: %s", describe(sender_id), reason.value)
        if not delivery_id and self.dead_letters is not None:
            keep = self.dead_letters.add(sender_id, WHATSAPP.name, outgoing.text, result.label())
            await bookkeeping(keep, "refused whatsapp message not kept", sender_id)
        return result

    async def early_reports(self, provider_ids: Sequence[str]) -> Sequence[Report]:
        """Twilio may have reported the message before the result was recorded."""
        return await self.status.reported(provider_ids) if self.status is not None else []


def whatsapp_transport(
    settings: Settings,
    redis_client: aioredis.Redis,
    retry: RetryPolicy,
    buttons: ButtonMemory,
    clock: Clock,
) -> WhatsAppTransport | None:
    """The WhatsApp row of ``OutboundRouter.transports`` (None when TWILIO_WHATSAPP_FROM is not set)."""
    tw = settings.twilio
    if not tw.whatsapp_enabled:
        return None
    base = settings.public_base_url.rstrip("/")
    status_callback = base + STATUS_PATH if base else ""
    sender = TwilioWhatsAppSender(tw.account_sid, tw.auth_token, tw.whatsapp_from, tw.api_base_url, status_callback)
    return WhatsAppTransport(
        sender,
        ServiceWindow(redis_client, clock),
        load_templates(tw.whatsapp_content_sids),
        retry=retry,
        buttons=buttons,
        status=SmsStatusIndex(redis_client) if status_callback else None,
        dead_letters=DeadLetters(redis_client),
    )
