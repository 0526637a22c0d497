"""What residents read: each reminder one GSM-7 SMS segment, no link, nothing sensitive named, answerable.

A shared phone may show them: "votre démarche mensuelle France Travail", "votre déclaration trimestrielle CAF
ou MSA", "le renouvellement de votre carte", never the benefit's or the card's name. Dates are written
``15 janvier`` (the longest, ``30 septembre``, is what the segment test measures); ``render`` folds the few
letters GSM-7 lacks (août -> aout).
"""

from __future__ import annotations

from datetime import date

from bot.french_dates import MONTHS_FR
from bot.language import dates
from bot.language.texts import localize
from bot.reminders.models import Kind
from bot.reminders.programmes import Programme
from bot.sms.gsm import transliterate

ANSWERS = "Répondez FAIT si c'est fait, RDV pour aide, STOP RAPPELS pour arrêter."
ANSWERS_NO_DONE = "Répondez RDV pour aide, STOP RAPPELS pour arrêter."
ANSWERS_SHORT = "Répondez FAIT, RDV (aide) ou STOP RAPPELS."
PREPARE = "Préparez passeport, justificatif de domicile, photos. Répondez FAIT, RDV ou STOP RAPPELS."

# Each reminder and offer is a constant: its variants in the residents' other languages are in
# translations/reminders.yml (issue 23), said in the language kept for the resident.
ACTUALISATION_OPEN = "PIMMS : votre démarche mensuelle France Travail est ouverte jusqu'au {ends}. " + ANSWERS
ACTUALISATION_LAST_CALL = (
    "PIMMS, dernier rappel : votre démarche mensuelle France Travail ferme le {ends} à minuit. " + ANSWERS_SHORT
)
QUARTERLY_DUE = "PIMMS : votre déclaration trimestrielle CAF ou MSA est à faire ce mois-ci. " + ANSWERS
PERMIT_OPEN = "PIMMS : le renouvellement de votre carte se demande dès maintenant. " + PREPARE
PERMIT_SECOND = "PIMMS : pensez à renouveler votre carte avant le {ends}. " + PREPARE
PERMIT_LAST = (
    "PIMMS : plus que 2 semaines pour demander le renouvellement de votre carte, avant le {ends}. " + ANSWERS_SHORT
)
ONE_OFF = "PIMMS : voici le rappel que vous avez demandé pour le {ends}. " + ANSWERS_NO_DONE

REMINDERS: dict[Kind, str] = {
    "actualisation_open": ACTUALISATION_OPEN,
    "actualisation_last_call": ACTUALISATION_LAST_CALL,
    "quarterly_due": QUARTERLY_DUE,
    "permit_open": PERMIT_OPEN,
    "permit_second": PERMIT_SECOND,
    "permit_last": PERMIT_LAST,
    "one_off": ONE_OFF,
}

# The offers: their exact text is what the consent record keeps.
OFFER_ACTUALISATION = (
    "Voulez-vous un rappel chaque mois quand votre démarche mensuelle France Travail ouvre, pendant 12 mois ? "
    "Répondez OUI. STOP RAPPELS pour arrêter."
)
OFFER_QUARTERLY = (
    "Voulez-vous un rappel les mois de votre déclaration trimestrielle CAF ou MSA, pendant 12 mois ? "
    "Répondez OUI. STOP RAPPELS pour arrêter."
)
OFFER_RESIDENCE_PERMIT = (
    "Voulez-vous 3 rappels pour le renouvellement de votre carte, quand la demande devient possible ? "
    "Répondez OUI. STOP RAPPELS pour arrêter."
)
OFFER_ONE_OFF = "Voulez-vous un rappel le {ends} ? Répondez OUI. STOP RAPPELS pour arrêter."
OFFERS: dict[Programme, str] = {
    Programme.ACTUALISATION: OFFER_ACTUALISATION,
    Programme.QUARTERLY: OFFER_QUARTERLY,
    Programme.RESIDENCE_PERMIT: OFFER_RESIDENCE_PERMIT,
    Programme.ONE_OFF: OFFER_ONE_OFF,
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
# One line of the RAPPELS list: the programme's label (config/reminders.yml, translated in
# translations/reminders_config.yml) and its date.
LABEL_ON = "{name} : le {day}"
LABEL_UNTIL = "{name} (jusqu'au {day})"


def day_text(day: date, language: str = "fr") -> str:
    """``15 janvier``, ``1er mars``; ``15 January``, ``15 de enero``... in the other languages."""
    if language != "fr" and language in dates.MONTHS:
        return dates.day_month(day, language)
    number = "1er" if day.day == 1 else str(day.day)
    return f"{number} {MONTHS_FR[day.month - 1]}"


def render(template: str, ends: date | None = None, language: str = "fr") -> str:
    """The text as sent, in the resident's language: the date filled in; French folded to GSM-7 (the other
    languages keep their letters: Arabic, Turkish and Romanian go out in UCS-2, counted by the tests)."""
    text = localize(template, language).format(ends=day_text(ends, language) if ends else "")
    return transliterate(text) if language == "fr" or language not in dates.MONTHS else text


def reminder_text(kind: Kind, ends: date | None, language: str = "fr") -> str:
    """The SMS of one reminder."""
    return render(REMINDERS[kind], ends, language)


def offer_text(programme: Programme, ends: date | None = None, language: str = "fr") -> str:
    """The offer; its rendered text is recorded as the consent's exact text."""
    return render(OFFERS[programme], ends, language)


def subscription_label(name: str, day: date, one_off: bool, language: str = "fr") -> str:
    """How RAPPELS names one reminder, in the resident's language: a one-off's date, or the end of the others."""
    template = localize(LABEL_ON if one_off else LABEL_UNTIL, language)
    return template.format(name=localize(name, language), day=day_text(day, language))


def data_notice(count: int, language: str = "fr") -> str:
    """MES DONNEES, for a resident with reminders: what is kept about them (the export shows the consent record)."""
    text = localize(DATA_NOTICE, language).format(count=count)
    return transliterate(text) if language == "fr" or language not in dates.MONTHS else text


def list_text(labels: list[str], language: str = "fr") -> str:
    """RAPPELS: the active reminders, numbered (``labels`` already in the resident's language)."""
    if not labels:
        return render(NONE_ACTIVE, language=language)
    lines = [f"{i}. {label}" for i, label in enumerate(labels, start=1)]
    text = "\n".join([localize(LIST_HEADER, language), *lines, localize(LIST_FOOTER, language)])
    return transliterate(text) if language == "fr" or language not in dates.MONTHS else text
