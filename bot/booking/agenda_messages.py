"""French texts residents get when a mediator changes their appointment from the console's agenda."""

from __future__ import annotations

from bot.booking.models import Booking
from bot.french_dates import day_label, hour_label
from bot.sites import Site

REBOOK = "Pour un autre rendez-vous, écrivez RDV."


def cancelled_by_counter(booking: Booking, site: Site) -> str:
    """The counter cancelled one appointment (``booking.start`` in local time)."""
    return (
        f"Votre rendez-vous du {day_label(booking.start)} à {hour_label(booking.start)} au {site.short_name} "
        f"(réf. {booking.ref}) est annulé par le PIMMS. Excusez-nous. {REBOOK}"
    )


def closed_day(booking: Booking, site: Site) -> str:
    """The counter is closed on the day of the appointment."""
    return (
        f"Le {site.short_name} sera fermé le {day_label(booking.start)}. Votre rendez-vous de "
        f"{hour_label(booking.start)} (réf. {booking.ref}) est annulé. Excusez-nous. {REBOOK}"
    )
