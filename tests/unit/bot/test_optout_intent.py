"""Which SMS opt a person out: keyword forms and clear refusals of our messages (with or without "ne"),
never questions about other bodies."""

from __future__ import annotations

import pytest

from bot.optout import classify_keyword

OPT_OUT = [
    "STOP",
    "Stop.",
    "stop sms",
    "STOP SMS SVP",
    "stop merci",
    "ARRÊT",
    "arret sms",
    "Désabonner",
    "désinscription",
    "Désabonnez-moi",
    "désinscrivez moi svp",
    "unsubscribe",
    "je veux plus de vos sms",
    "je veux plus recevoir vos messages",
    "veux plus de sms",
    "je ne veux plus de vos SMS",
    "Je ne veux plus recevoir de messages",
    "je souhaite plus recevoir vos sms",
    "arretez de m'envoyer des messages",
    "Arrêtez de m'écrire",
    "arrete de m ecrire stp",
    "arrêtez les sms",
    "cessez de m'envoyer des textos",
    "stoppez vos messages",
    "Merci de ne plus m'envoyer de sms",
    "merci de ne plus m’envoyer de SMS svp",
    "ne m'envoyez plus de messages",
    "ne me contactez plus",
    "plus de sms svp",
    "plus jamais de messages",
    "je veux me désabonner des sms",
    "retirez mon numéro",
    "je ne veux plus être contacté",
]

NOT_OPT_OUT = [
    "Comment me désinscrire de France Travail ?",
    "desinscription caf",
    "je ne veux plus recevoir de courrier de la CAF",
    "désinscription pôle emploi",
    "comment se désinscrire des mails d'ameli ?",
    "Je veux me désabonner de mon opérateur",
    "je ne veux plus être inscrit à France Travail",
    "Ma mère ne veut plus recevoir de lettres des impôts",
    "comment arrêter les prélèvements de la CAF",
    "comment arrêter mon contrat EDF ?",
    "je ne reçois plus les sms de la CAF",
    "je n'ai plus reçu de message de France Travail",
    "Arrêt de travail : que faire ?",
    "arrêt de bus le plus proche ?",
    "arrêt maladie comment déclarer",
    "désinscription liste électorale",
    "ne plus recevoir la newsletter de la mairie",
    "je veux plus de rendez-vous à la préfecture",
    "plus de nouvelles de mon dossier APL",
    "je veux annuler mon rendez-vous",
    "bonjour",
    "stop ou encore ?",
    "j'ai arrêté de travailler, quelles aides ?",
]


@pytest.mark.parametrize("text", OPT_OUT)
def test_opts_out(text: str) -> None:
    assert classify_keyword(text) == "stop"


@pytest.mark.parametrize("text", NOT_OPT_OUT)
def test_never_opts_out(text: str) -> None:
    assert classify_keyword(text) is None


def test_the_lists_are_long_enough() -> None:
    assert len(OPT_OUT) >= 15 and len(NOT_OPT_OUT) >= 15
