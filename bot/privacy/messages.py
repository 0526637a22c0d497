"""What residents read about their data (French, vouvoiement, GSM-7, one or two SMS each)."""

from __future__ import annotations

from typing import Any


def confirm_erase(code: str) -> str:
    """The erasure question, with the one-time code that proves the answer comes from this phone or account."""
    return (
        "Voulez-vous que j'efface tout ce que je garde sur vous (messages, rendez-vous, notes) ? "
        f"Pour confirmer, répondez EFFACER {code}. Sinon, répondez NON."
    )


def confirm_buttons(code: str) -> list[dict[str, Any]]:
    """Buttons of the question where the channel authenticates the sender (Telegram, web): the code is in the
    payload. Never over SMS, where "1" would answer for whoever sent it."""
    return [
        {"title": "Oui, tout effacer", "payload": f"EFFACER {code}"},
        {"title": "Non, garder", "payload": "NON"},
    ]


def code_reminder(code: str) -> str:
    """An answer without the code: the question stays open."""
    return f"Pour tout effacer, répondez EFFACER {code} (avec ce code). Sinon, répondez NON."


WRONG_CODE = "Ce code ne correspond pas : je n'efface rien. Envoyez EFFACER pour recommencer."
TOO_MANY_CODES = "Trop de codes faux aujourd'hui : je n'efface rien. Réessayez demain, ou contactez {contact}."
KEPT = "D'accord, je n'efface rien. Vous pouvez demander EFFACER à tout moment."
ERASE_FAILED = (
    "Je n'ai pas pu tout effacer, à cause d'une panne. Réessayez dans quelques minutes "
    "en envoyant EFFACER, ou contactez {contact}."
)


def erased(bookings_cancelled: int, opted_out: bool) -> str:
    """The reply once everything is erased (the opt-out is kept and the reply says so)."""
    parts = ["C'est fait : j'ai effacé vos messages, vos rendez-vous et les notes à votre sujet."]
    if bookings_cancelled == 1:
        parts.append("Votre rendez-vous à venir est annulé.")
    elif bookings_cancelled > 1:
        parts.append("Vos rendez-vous à venir sont annulés.")
    if opted_out:
        parts.append("Je garde seulement votre demande STOP, pour ne plus vous écrire.")
    else:
        parts.append("Si vous envoyez STOP, je garderai seulement ce choix, pour ne plus vous écrire.")
    return " ".join(parts)


def info(retention_days: int, contact: str) -> str:
    """What is kept, why, how long, how to erase, whom to contact (MES DONNEES)."""
    return (
        "Je garde nos messages, vos rendez-vous et les notes des médiateurs, pour vous répondre et vous "
        f"aider. Tout est effacé {retention_days} jours après votre dernier message. Envoyez EFFACER pour "
        f"tout effacer maintenant. Pour une copie ou une question, contactez {contact}."
    )


def first_contact_notice(retention_days: int) -> str:
    """The one-time notice to a new sender: one SMS (at most 160 GSM-7 characters)."""
    return (
        f"Info : je garde nos échanges {retention_days} jours pour vous répondre. "
        "MES DONNEES pour en savoir plus, EFFACER pour tout effacer."
    )


def contact_line(site_name: str, phone: str) -> str:
    """Whom to contact about one's data, by default the PIMMS counter."""
    return f"le {site_name} au {phone}" if phone else f"le {site_name}"
