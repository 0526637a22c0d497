"""What residents read about their data (vouvoiement, one or two SMS each).

French is the source: the constants below; their variants in the residents' other languages are in
``translations/privacy.yml`` (issue 23). Each function takes the resident's ``language`` (French by default).
"""

from __future__ import annotations

from typing import Any

from bot.language.texts import localize

CONFIRM_ERASE = (
    "Voulez-vous que j'efface tout ce que je garde sur vous (messages, rendez-vous, notes) ? "
    "Pour confirmer, répondez EFFACER {code}. Sinon, répondez NON."
)
BUTTON_YES = "Oui, tout effacer"
BUTTON_NO = "Non, garder"
CODE_REMINDER = "Pour tout effacer, répondez EFFACER {code} (avec ce code). Sinon, répondez NON."
ERASED = "C'est fait : j'ai effacé vos messages, vos rendez-vous et les notes à votre sujet."
ERASED_ONE = "Votre rendez-vous à venir est annulé."
ERASED_MANY = "Vos rendez-vous à venir sont annulés."
ERASED_STOP_KEPT = "Je garde seulement votre demande STOP, pour ne plus vous écrire."
ERASED_STOP_HINT = "Si vous envoyez STOP, je garderai seulement ce choix, pour ne plus vous écrire."
INFO = (
    "Je garde nos messages, vos rendez-vous et les notes des médiateurs, pour vous répondre et vous "
    "aider. Tout est effacé {days} jours après votre dernier message. Envoyez EFFACER pour "
    "tout effacer maintenant. Pour une copie ou une question, contactez {contact}."
)
FIRST_CONTACT = (
    "Info : je garde nos échanges {days} jours pour vous répondre. "
    "MES DONNEES pour en savoir plus, EFFACER pour tout effacer."
)


def confirm_erase(code: str, language: str = "fr") -> str:
    """The erasure question, with the one-time code that proves the answer comes from this phone or account."""
    return localize(CONFIRM_ERASE, language).format(code=code)


def confirm_buttons(code: str, language: str = "fr") -> list[dict[str, Any]]:
    """Buttons of the question where the channel authenticates the sender (Telegram, web): the code is in the
    payload. Never over SMS, where "1" would answer for whoever sent it."""
    return [
        {"title": localize(BUTTON_YES, language), "payload": f"EFFACER {code}"},
        {"title": localize(BUTTON_NO, language), "payload": "NON"},
    ]


def code_reminder(code: str, language: str = "fr") -> str:
    """An answer without the code: the question stays open."""
    return localize(CODE_REMINDER, language).format(code=code)


WRONG_CODE = "Ce code ne correspond pas : je n'efface rien. Envoyez EFFACER pour recommencer."
# Whom to contact (the {contact} above) when PRIVACY_CONTACT is not set: the first counter.
CONTACT_PHONE = "le {site} au {phone}"
CONTACT_SITE = "le {site}"
TOO_MANY_CODES = "Trop de codes faux aujourd'hui : je n'efface rien. Réessayez demain, ou contactez {contact}."
KEPT = "D'accord, je n'efface rien. Vous pouvez demander EFFACER à tout moment."
ERASE_FAILED = (
    "Je n'ai pas pu tout effacer, à cause d'une panne. Réessayez dans quelques minutes "
    "en envoyant EFFACER, ou contactez {contact}."
)


def erased(bookings_cancelled: int, opted_out: bool, language: str = "fr") -> str:
    """The reply once everything is erased (the opt-out is kept and the reply says so)."""
    parts = [ERASED]
    if bookings_cancelled == 1:
        parts.append(ERASED_ONE)
    elif bookings_cancelled > 1:
        parts.append(ERASED_MANY)
    parts.append(ERASED_STOP_KEPT if opted_out else ERASED_STOP_HINT)
    return " ".join(localize(part, language) for part in parts)


def info(retention_days: int, contact: str, language: str = "fr") -> str:
    """What is kept, why, how long, how to erase, whom to contact (MES DONNEES)."""
    return localize(INFO, language).format(days=retention_days, contact=contact)


def first_contact_notice(retention_days: int, language: str = "fr") -> str:
    """The one-time notice to a new sender: one SMS in French (at most 160 GSM-7 characters)."""
    return localize(FIRST_CONTACT, language).format(days=retention_days)


def contact_line(site_name: str, phone: str, language: str = "fr") -> str:
    """Whom to contact about one's data, by default the PIMMS counter, in the resident's language."""
    if phone:
        return localize(CONTACT_PHONE, language).format(site=site_name, phone=phone)
    return localize(CONTACT_SITE, language).format(site=site_name)
