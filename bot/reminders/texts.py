"""What residents read: each reminder one GSM-7 SMS segment, no link, nothing sensitive named, answerable.

A shared phone may show them: "votre démarche mensuelle France Travail", "votre déclaration trimestrielle CAF
ou MSA", "le renouvellement de votre carte", never the benefit's or the card's name. Dates are written
``15 janvier`` (the longest, ``30 septembre``, is what the segment test measures); ``render`` folds the few
letters GSM-7 lacks (août -> aout).
"""

from __future__ import annotations

from datetime import date

from bot.french_dates import MONTHS_FR
from bot.reminders.models import Kind
from bot.reminders.programmes import Programme
from bot.sms.gsm import transliterate

ANSWERS = "Répondez FAIT si c'est fait, RDV pour aide, STOP RAPPELS pour arrêter."
ANSWERS_NO_DONE = "Répondez RDV pour aide, STOP RAPPELS pour arrêter."
ANSWERS_SHORT = "Répondez FAIT, RDV (aide) ou STOP RAPPELS."
PREPARE = "Préparez passeport, justificatif de domicile, photos. Répondez FAIT, RDV ou STOP RAPPELS."

REMINDERS: dict[Kind, str] = {
    "actualisation_open": "PIMMS : votre démarche mensuelle France Travail est ouverte jusqu'au {ends}. " + ANSWERS,
    "actualisation_last_call": (
        "PIMMS, dernier rappel : votre démarche mensuelle France Travail ferme le {ends} à minuit. " + ANSWERS_SHORT
    ),
    "quarterly_due": "PIMMS : votre déclaration trimestrielle CAF ou MSA est à faire ce mois-ci. " + ANSWERS,
    "permit_open": "PIMMS : le renouvellement de votre carte se demande dès maintenant. " + PREPARE,
    "permit_second": "PIMMS : pensez à renouveler votre carte avant le {ends}. " + PREPARE,
    "permit_last": (
        "PIMMS : plus que 2 semaines pour demander le renouvellement de votre carte, avant le {ends}. " + ANSWERS_SHORT
    ),
    "one_off": "PIMMS : voici le rappel que vous avez demandé pour le {ends}. " + ANSWERS_NO_DONE,
}

# The offers: their exact text is what the consent record keeps.
OFFERS: dict[Programme, str] = {
    Programme.ACTUALISATION: (
        "Voulez-vous un rappel chaque mois quand votre démarche mensuelle France Travail ouvre, pendant 12 mois ? "
        "Répondez OUI. STOP RAPPELS pour arrêter."
    ),
    Programme.QUARTERLY: (
        "Voulez-vous un rappel les mois de votre déclaration trimestrielle CAF ou MSA, pendant 12 mois ? "
        "Répondez OUI. STOP RAPPELS pour arrêter."
    ),
    Programme.RESIDENCE_PERMIT: (
        "Voulez-vous 3 rappels pour le renouvellement de votre carte, quand la demande devient possible ? "
        "Répondez OUI. STOP RAPPELS pour arrêter."
    ),
    Programme.ONE_OFF: "Voulez-vous un rappel le {ends} ? Répondez OUI. STOP RAPPELS pour arrêter.",
}

# Answers about the card's date, instead of reminders.
PERMIT_EXPIRED = (
    "Votre carte a expiré : ne restez pas sans solution. Venez au PIMMS ou répondez RDV, un médiateur vous aidera "
    "à faire la demande."
)
PERMIT_LATE = (
    "Le délai habituel pour demander le renouvellement est passé : faites la demande sans attendre. "
    "Répondez RDV pour de l'aide."
)
PERMIT_TOO_FAR = (
    "Votre carte est valable encore longtemps. Revenez nous voir 5 mois avant sa fin pour programmer les rappels."
)

ONE_OFF_BAD_DATE = "Choisissez une date à venir, dans les 12 prochains mois."

SUBSCRIBED = "C'est noté. RAPPELS pour voir vos rappels, STOP RAPPELS pour tous les arrêter."
DONE_ACK = "Merci, c'est noté : pas d'autre rappel pour cette échéance."
DONE_NOTHING = "Merci. Vous n'avez pas de rappel récent à marquer comme fait."
DECLINED = "D'accord, pas de rappel. Vous pouvez le demander plus tard : écrivez RAPPEL."
# After an accepted offer that needs a detail (sent as "RAPPEL ...": the keyword routes it).
ASK_EXPIRY = "Écrivez RAPPEL et la date de fin de votre carte, par exemple : RAPPEL 15/03/2027"
ASK_LAST_DECLARATION = "Écrivez RAPPEL et le mois de votre dernière déclaration, par exemple : RAPPEL octobre"
WHAT_REMINDERS = (
    "Je peux vous rappeler : l'actualisation France Travail, la déclaration trimestrielle CAF ou MSA, la fin de "
    "votre carte, ou une date. Écrivez par exemple : rappelez-moi le 15 janvier."
)
STOPPED_ONE = "Ce rappel est arrêté. Les autres continuent."
STOPPED_ALL = "Vos rappels sont arrêtés. Vous pouvez toujours nous écrire."
NONE_ACTIVE = "Vous n'avez aucun rappel en cours."
DATA_NOTICE = (
    "Rappels : {count} en cours. Je garde votre accord (date, texte accepté, canal) jusqu'à un mois après leur fin. "
    "RAPPELS pour les voir, STOP RAPPELS pour les arrêter."
)
LIST_HEADER = "Vos rappels :"
LIST_FOOTER = "Arrêter un rappel : STOP RAPPEL et son numéro (STOP RAPPEL 1). Tous : STOP RAPPELS."


def day_text(day: date) -> str:
    """``15 janvier``, ``1er mars``."""
    number = "1er" if day.day == 1 else str(day.day)
    return f"{number} {MONTHS_FR[day.month - 1]}"


def render(template: str, ends: date | None = None) -> str:
    """The text as sent: the date filled in, folded to GSM-7."""
    return transliterate(template.format(ends=day_text(ends) if ends else ""))


def reminder_text(kind: Kind, ends: date | None) -> str:
    """The SMS of one reminder."""
    return render(REMINDERS[kind], ends)


def offer_text(programme: Programme, ends: date | None = None) -> str:
    """The offer; its rendered text is recorded as the consent's exact text."""
    return render(OFFERS[programme], ends)


def data_notice(count: int) -> str:
    """MES DONNEES, for a resident with reminders: what is kept about them (the export shows the consent record)."""
    return transliterate(DATA_NOTICE.format(count=count))


def list_text(labels: list[str]) -> str:
    """RAPPELS: the active reminders, numbered."""
    if not labels:
        return NONE_ACTIVE
    lines = [f"{i}. {label}" for i, label in enumerate(labels, start=1)]
    return transliterate("\n".join([LIST_HEADER, *lines, LIST_FOOTER]))
