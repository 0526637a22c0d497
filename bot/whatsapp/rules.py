"""The WhatsApp row of the admission rules (``bot/inbound/admission.py``): SMS keywords, WhatsApp words."""

from __future__ import annotations

from bot.inbound.admission import Rules
from bot.whatsapp import messages

# STOP / ARRET / START / AIDE as by SMS (WhatsApp asks every opt-out request to be honoured); the rate limit;
# notices; a file sent without text is kept in the transcript so that a mediator sees it was sent.
WHATSAPP = Rules(
    "whatsapp",
    sms_keywords=True,
    telegram_commands=False,
    rate_limit=True,
    notices=True,
    stopped=messages.STOPPED,
    restarted=messages.RESTARTED,
    stop_hint=messages.STOP_HINT,
    media=messages.MEDIA,
    record_media=True,
)
