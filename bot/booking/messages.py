"""French texts of the booking flow (short, vouvoiement, one idea per message)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.booking.calendar import Slot
from bot.booking.models import Booking
from bot.booking.motives import BookingRules, Motive
from bot.french_dates import day_label, days_label, hour_label, when_label
from bot.outbound.proactive import Proactive, TemplateMessage
from bot.sites import Site

CANCEL_HOWTO = "Pour annuler, écrivez ANNULER RDV. Pour changer, écrivez DÉPLACER RDV."
NEW_SLOT = "Nouveau créneau."  # before the recap when a booking is being moved


def motive_question(menu: str) -> str:
    """The numbered menu of motives (``MotiveCatalog.menu``)."""
    return f"C'est pour quelle démarche ? Répondez par un numéro :\n{menu}"


def site_question(sites: Sequence[Site], network: str) -> str:
    """The numbered list of counters; ``network`` is the configured name ("PIMMS de Lyon")."""
    lines = "\n".join(f"{i} : {s.short_name}" for i, s in enumerate(sites, start=1))
    return f"Dans quel lieu des {network} ? Répondez par un numéro :\n{lines}"


def target_question(descriptions: Sequence[str]) -> str:
    """The numbered list of the resident's upcoming bookings."""
    lines = "\n".join(f"{i} : {d}" for i, d in enumerate(descriptions, start=1))
    return f"Quel rendez-vous ? Répondez par un numéro :\n{lines}"


def offers_text(slots: Sequence[Slot], site: Site) -> str:
    """Numbered list of offered slots, plus "4 : autres jours"."""
    lines = [f"Créneaux libres à {site.short_name} :"]
    lines += [f"{i} : {when_label(s.start)}" for i, s in enumerate(slots, start=1)]
    lines.append(f"{len(slots) + 1} : autres jours")
    choices = ", ".join(str(i) for i in range(1, len(slots))) + f" ou {len(slots)}" if len(slots) > 1 else "1"
    lines.append(f"Répondez {choices}.")
    return "\n".join(lines)


def rule_values(rules: BookingRules) -> dict[str, str]:
    """Values of config/motives.yml that domain responses show (``{horizon}``, ``{max_active}``)."""
    return {"horizon": days_label(rules.horizon_days), "max_active": str(rules.max_active_per_user)}


def no_slot_text(site: Site, rules: BookingRules) -> str:
    """Nothing free in the horizon."""
    return (
        f"Désolé, je ne trouve pas de créneau libre à {site.short_name} dans les {days_label(rules.horizon_days)}. "
        "Vous pouvez choisir un autre lieu, ou écrire MEDIATEUR."
    )


def confirm_question(slot: Slot, site: Site, motive: Motive) -> str:
    """Recap before booking, asking yes/no."""
    return (
        f"Rendez-vous {motive.short_label} le {when_label(slot.start)}, {site.name}, {site.address}. "
        "Je réserve ? Répondez OUI ou NON."
    )


def booked_texts(booking: Booking, site: Site, motive: Motive) -> list[str]:
    """Confirmation messages: appointment and reference, then papers and how to cancel."""
    return [
        (f"C'est réservé : {when_label(booking.start)}, {site.name}, {site.address}. Votre référence : {booking.ref}."),
        f"Apportez : {motive.papers_text()}. {CANCEL_HOWTO}",
    ]


def booking_line(booking: Booking, site: Site | None, motive: Motive | None) -> str:
    """One line describing a booking."""
    where = site.short_name if site else booking.site_id
    what = motive.short_label if motive else booking.motive_id
    return f"{when_label(booking.start)}, {where} ({what}), réf. {booking.ref}"


def reminder_values(booking: Booking, site: Site, motive: Motive, same_day: bool) -> dict[str, str]:
    """What varies in a reminder (the variables of its WhatsApp template, config/whatsapp_templates.yml)."""
    when = "aujourd'hui" if same_day else "demain"
    return {
        "when": f"{when} {day_label(booking.start)} à {hour_label(booking.start)}",
        "address": site.address,
        "papers": motive.papers_text(),
    }


def reminder_text(booking: Booking, site: Site, motive: Motive, same_day: bool) -> Proactive:
    """The reminder sent before the appointment (a proactive message: on WhatsApp, the template
    ``booking_reminder`` with the same words)."""
    values = reminder_values(booking, site, motive, same_day)
    text = (
        f"Rappel PIMMS : rendez-vous {values['when']}, {values['address']}. "
        f"Apportez : {values['papers']}. Pour annuler, écrivez ANNULER RDV."
    )
    return Proactive(text, TemplateMessage("booking_reminder", values))


def cancel_question(start: datetime, ref: str) -> str:
    """Asks to confirm the cancellation of a booking (``start`` in local time)."""
    return f"Annuler le rendez-vous du {when_label(start)} (réf. {ref}) ? Répondez OUI ou NON."


def list_text(lines: Sequence[str]) -> str:
    """The resident's upcoming bookings, one line each (from ``BookingService.describe``)."""
    body = "\n".join(lines)
    return f"Vos rendez-vous :\n{body}\nPour annuler, écrivez ANNULER RDV."
