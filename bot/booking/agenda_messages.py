"""French texts residents get when a mediator changes their appointment from the console's agenda."""

from __future__ import annotations

from bot.booking.models import Booking
from bot.french_dates import day_label, hour_label
from bot.outbound.proactive import Proactive, TemplateMessage
from bot.sites import Site

REBOOK = "Pour un autre rendez-vous, écrivez RDV."


def _values(booking: Booking, site: Site) -> dict[str, str]:
    """What varies in these notices (the variables of their WhatsApp templates, config/whatsapp_templates.yml)."""
    return {
        "day": day_label(booking.start),
        "hour": hour_label(booking.start),
        "site": site.short_name,
        "ref": booking.ref,
    }


def cancelled_by_counter(booking: Booking, site: Site) -> Proactive:
    """The counter cancelled one appointment (``booking.start`` in local time); on WhatsApp after 24 hours,
    the template ``booking_cancelled`` with the same words."""
    v = _values(booking, site)
    text = (
        f"Votre rendez-vous du {v['day']} à {v['hour']} au {v['site']} "
        f"(réf. {v['ref']}) est annulé par le PIMMS. Excusez-nous. {REBOOK}"
    )
    return Proactive(text, TemplateMessage("booking_cancelled", v))


def closed_day(booking: Booking, site: Site) -> Proactive:
    """The counter is closed on the day of the appointment (WhatsApp template ``site_closed``)."""
    v = _values(booking, site)
    text = (
        f"Le {v['site']} sera fermé le {v['day']}. Votre rendez-vous de "
        f"{v['hour']} (réf. {v['ref']}) est annulé. Excusez-nous. {REBOOK}"
    )
    return Proactive(text, TemplateMessage("site_closed", v))
