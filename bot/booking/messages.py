"""Texts of the booking flow (short, vouvoiement, one idea per message).

French is the source: the template constants below. Their variants in the residents' other languages are in
``translations/booking.yml`` (issue 23); each function takes the resident's ``language`` (French by default).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.booking.calendar import Slot
from bot.booking.models import Booking
from bot.booking.motives import BookingRules, Motive
from bot.french_dates import day_label, hour_label
from bot.language.dates import days_label, when_label
from bot.language.texts import localize
from bot.outbound.proactive import Proactive, TemplateMessage
from bot.sites import Site

CANCEL_HOWTO = "Pour annuler, écrivez ANNULER RDV. Pour changer, écrivez DÉPLACER RDV."
NEW_SLOT = "Nouveau créneau."  # before the recap when a booking is being moved
MOTIVE_QUESTION = "C'est pour quelle démarche ? Répondez par un numéro :\n{menu}"
SITE_QUESTION = "Dans quel lieu des {network} ? Répondez par un numéro :\n{lines}"
TARGET_QUESTION = "Quel rendez-vous ? Répondez par un numéro :\n{lines}"
OFFERS_HEAD = "Créneaux libres à {site} :"
OTHER_DAYS = "{number} : autres jours"
ANSWER_CHOICES = "Répondez {first} ou {last}."
ANSWER_ONE = "Répondez {last}."
NO_SLOT = (
    "Désolé, je ne trouve pas de créneau libre à {site} dans les {horizon}. "
    "Vous pouvez choisir un autre lieu, ou écrire MEDIATEUR."
)
CONFIRM_QUESTION = "Rendez-vous {motive} le {when}, {site}, {address}. Je réserve ? Répondez OUI ou NON."
BOOKED = "C'est réservé : {when}, {site}, {address}. Votre référence : {ref}."
BRING = "Apportez : {papers}."
BOOKING_LINE = "{when}, {site} ({motive}), réf. {ref}"
CANCEL_QUESTION = "Annuler le rendez-vous du {when} (réf. {ref}) ? Répondez OUI ou NON."
LIST_HEAD = "Vos rendez-vous :"
LIST_FOOT = "Pour annuler, écrivez ANNULER RDV."


def motive_question(menu: str, language: str = "fr") -> str:
    """The numbered menu of motives (``MotiveCatalog.menu``)."""
    return localize(MOTIVE_QUESTION, language).format(menu=menu)


def site_question(sites: Sequence[Site], network: str, language: str = "fr") -> str:
    """The numbered list of counters; ``network`` is the configured name ("PIMMS de Lyon")."""
    lines = "\n".join(f"{i} : {s.short_name}" for i, s in enumerate(sites, start=1))
    return localize(SITE_QUESTION, language).format(network=network, lines=lines)


def target_question(descriptions: Sequence[str], language: str = "fr") -> str:
    """The numbered list of the resident's upcoming bookings."""
    lines = "\n".join(f"{i} : {d}" for i, d in enumerate(descriptions, start=1))
    return localize(TARGET_QUESTION, language).format(lines=lines)


def offers_text(slots: Sequence[Slot], site: Site, language: str = "fr") -> str:
    """Numbered list of offered slots, plus "4 : autres jours"."""
    lines = [localize(OFFERS_HEAD, language).format(site=site.short_name)]
    lines += [f"{i} : {when_label(s.start, language)}" for i, s in enumerate(slots, start=1)]
    lines.append(localize(OTHER_DAYS, language).format(number=len(slots) + 1))
    first = ", ".join(str(i) for i in range(1, len(slots)))
    if len(slots) > 1:
        lines.append(localize(ANSWER_CHOICES, language).format(first=first, last=len(slots)))
    else:
        lines.append(localize(ANSWER_ONE, language).format(last=len(slots)))
    return "\n".join(lines)


def rule_values(rules: BookingRules, language: str = "fr") -> dict[str, str]:
    """Values of config/motives.yml that domain responses show (``{horizon}``, ``{max_active}``)."""
    return {"horizon": days_label(rules.horizon_days, language), "max_active": str(rules.max_active_per_user)}


def no_slot_text(site: Site, rules: BookingRules, language: str = "fr") -> str:
    """Nothing free in the horizon."""
    return localize(NO_SLOT, language).format(site=site.short_name, horizon=days_label(rules.horizon_days, language))


def confirm_question(slot: Slot, site: Site, motive: Motive, language: str = "fr") -> str:
    """Recap before booking, asking yes/no."""
    return localize(CONFIRM_QUESTION, language).format(
        motive=motive.short_label_in(language),
        when=when_label(slot.start, language),
        site=site.name,
        address=site.address,
    )


def booked_texts(booking: Booking, site: Site, motive: Motive, language: str = "fr") -> list[str]:
    """Confirmation messages: appointment and reference, then papers and how to cancel."""
    return [
        localize(BOOKED, language).format(
            when=when_label(booking.start, language), site=site.name, address=site.address, ref=booking.ref
        ),
        f"{localize(BRING, language).format(papers=motive.papers_text(language))} {localize(CANCEL_HOWTO, language)}",
    ]


def booking_line(booking: Booking, site: Site | None, motive: Motive | None, language: str = "fr") -> str:
    """One line describing a booking."""
    where = site.short_name if site else booking.site_id
    what = motive.short_label_in(language) if motive else booking.motive_id
    return localize(BOOKING_LINE, language).format(
        when=when_label(booking.start, language), site=where, motive=what, ref=booking.ref
    )


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


def cancel_question(start: datetime, ref: str, language: str = "fr") -> str:
    """Asks to confirm the cancellation of a booking (``start`` in local time)."""
    return localize(CANCEL_QUESTION, language).format(when=when_label(start, language), ref=ref)


def list_text(lines: Sequence[str], language: str = "fr") -> str:
    """The resident's upcoming bookings, one line each (from ``BookingService.describe``)."""
    body = "\n".join(lines)
    return f"{localize(LIST_HEAD, language)}\n{body}\n{localize(LIST_FOOT, language)}"
