"""Texts residents get when a mediator changes their appointment from the console's agenda.

French is the source (the templates below, also the WhatsApp templates' words); the text goes out in the
language the booking recorded, from ``translations/agenda.yml`` (issue 23). The WhatsApp template's values stay
French: its approved body is French.
"""

from __future__ import annotations

from bot.booking.models import Booking
from bot.french_dates import day_label, hour_label
from bot.language import dates
from bot.language.texts import localize
from bot.outbound.proactive import Proactive, TemplateMessage
from bot.sites import Site

REBOOK = "Pour un autre rendez-vous, écrivez RDV."
CANCELLED = "Votre rendez-vous du {day} à {hour} au {site} (réf. {ref}) est annulé par le PIMMS. Excusez-nous."
CLOSED = "Le {site} sera fermé le {day}. Votre rendez-vous de {hour} (réf. {ref}) est annulé. Excusez-nous."


def _values(booking: Booking, site: Site) -> dict[str, str]:
    """What varies in these notices (the variables of their WhatsApp templates, config/whatsapp_templates.yml)."""
    return {
        "day": day_label(booking.start),
        "hour": hour_label(booking.start),
        "site": site.short_name,
        "ref": booking.ref,
    }


def _local(booking: Booking) -> tuple[str, str, str]:
    """The booking's language, then its day and hour formatted for it."""
    language = booking.language
    return language, dates.day_label(booking.start, language), dates.hour_label(booking.start, language)


def cancelled_by_counter(booking: Booking, site: Site) -> Proactive:
    """The counter cancelled one appointment (``booking.start`` in local time); on WhatsApp after 24 hours,
    the template ``booking_cancelled`` with the same words."""
    language, day, hour = _local(booking)
    words = localize(CANCELLED, language).format(day=day, hour=hour, site=site.short_name, ref=booking.ref)
    text = f"{words} {localize(REBOOK, language)}"
    return Proactive(text, TemplateMessage("booking_cancelled", _values(booking, site)))


def closed_day(booking: Booking, site: Site) -> Proactive:
    """The counter is closed on the day of the appointment (WhatsApp template ``site_closed``)."""
    language, day, hour = _local(booking)
    words = localize(CLOSED, language).format(site=site.short_name, day=day, hour=hour, ref=booking.ref)
    text = f"{words} {localize(REBOOK, language)}"
    return Proactive(text, TemplateMessage("site_closed", _values(booking, site)))
