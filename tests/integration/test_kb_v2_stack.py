"""Knowledge base v2 through the running stack: new topics asked the way residents text, honest replies.

The questions below are written for this test (SMS spelling, no accents, abbreviations) and are neither
training examples nor the kb probes: the test fails if one of them ever lands in the training data.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from bot.kb.model import load_kb

pytestmark = pytest.mark.stack

ENTRIES = {e.id: e for e in load_kb()}

# topic -> a resident's message (written for this test, not copied from kb examples)
NEW_TOPICS = {
    "logement_social": "slt ma demande hlm expire le mois pro jdois la refaire ou juste renouveler",
    "dalo": "on vit a 5 dans un studio depuis 3 ans on peut faire un dalo",
    "loyer_impaye": "lhuissier ma apporté un commandement de payer pr mes loyers cquoi la suite",
    "handicap_mdph": "ma fille est handicapee jveux faire un dossier mdph pr la carte cmi",
    "caf_prime_noel": "la prime de noel du rsa tombe quel jour cette annee",
    "caf_rentree_scolaire": "mon gars a 16 ans il est au lycee jai pas eu lallocation de rentree",
    "parent_isole": "mon ex verse pas la pension des petits depuis 6 mois la caf peut agir",
    "titre_premiere_demande": "faut il passer lexamen civique pr ma 1ere carte pluriannuelle",
    "natu_mariage": "mariée avec un francais depuis 4 ans cmt jdemande la nationalite",
    "certificat_nationalite": "la mairie veut un certificat de nationalite pr la cni de mon fils ou on lobtient",
    "retraite": "jaurai 64 ans en mars ou je fais ma demande de retraite",
    "surendettement": "4 credits conso et decouvert tt le temps jpeux faire un dossier banque de france",
    "droit_au_compte": "la banque a fermé mon compte et les autres veulent pas men ouvrir",
    "domiciliation": "jsuis hebergé a droite a gauche jai besoin dune adresse pr mes papiers",
    "aide_urgence": "plus un sou pr les courses cette semaine ya une aide alimentaire",
    "energie_demenagement": "je quitte mon appart samedi faut faire quoi pr le compteur edf",
    "demarchage_energie": "un commercial ma fait signer pr le gaz a ma porte cmt jannule",
    "amende_antai": "g recu un avis de contravention radar cmt on paye sur le vrai site",
    "aide_juridique": "je veux un avocat pr mon divorce mais jai pas dargent",
    "jeunes_mission_locale": "mon neveu 18 ans sans taf sans formation ou il doit aller",
    "passeport_perte_vol": "on ma volé mon passeport dans le bus cb ca coute pr le refaire",
    "arnaque_message": "sms de lameli qui veut mon numero de carte bleue cest une arnaque",
    "cout_gratuit": "vous etes gratuit ou je vais payer les sms",
}

# Public-service questions the kb does not cover (written for this test): the honest reply, not an FAQ answer.
# The first list (carte grise, APA, electoral roll, unpaid wages, school grants) became kb v3 topics in December.
UNCOVERED = [
    "on veut se pacser ou on prend rdv",
    "mon permis francais est perdu jdois refaire quoi",
    "cmt inscrire ma fille en petite section de maternelle",
    "cmt avoir un extrait de casier judiciaire b3",
    "je veux mettre mon pere sous tutelle cest ou",
]


def _sender(tag: str) -> str:
    return f"rest-kbv2-{tag}-{uuid.uuid4().hex[:8]}"


def _latest_parse(stack: Any, sender: str) -> dict[str, Any]:
    user = next(e for e in reversed(stack.tracker(sender)["events"]) if e["event"] == "user")
    return user["parse_data"]


def test_messages_are_not_training_data() -> None:
    training = {x.lower() for e in ENTRIES.values() for x in (*e.examples, e.probe)}
    assert [m for m in (*NEW_TOPICS.values(), *UNCOVERED) if m.lower() in training] == []
    assert len(NEW_TOPICS) >= 15


# The issue asks for at least 15. Measured 23 of 23 with the joint intent and topic model (28 November; 21 of
# 23 with DIET and the ResponseSelector): two of margin for data changes.
MIN_RIGHT = 21


def test_new_topics_answered_right(stack: Any) -> None:
    """Each message must get its own topic's answer; at least MIN_RIGHT of them (measured: 23 of 23)."""
    wrong = []
    for topic, text in sorted(NEW_TOPICS.items()):
        entry, sender = ENTRIES[topic], _sender(topic)
        texts = stack.texts(sender, text)
        parse = _latest_parse(stack, sender)
        intent = parse["intent"]["name"]
        picked = parse["response_selector"]["faq"]["response"]["intent_response_key"] if intent == "faq" else intent
        if picked != entry.intent or entry.expect not in " ".join(texts):
            wrong.append(f"{text!r} -> {picked}")
    assert len(NEW_TOPICS) - len(wrong) >= MIN_RIGHT, "\n".join(wrong)


def test_uncovered_questions_get_the_honest_reply(stack: Any) -> None:
    answered = []
    for text in UNCOVERED:
        sender = _sender("uncovered")
        reply = " ".join(stack.texts(sender, text))
        if (
            _latest_parse(stack, sender)["intent"]["name"] not in {"out_of_scope", "nlu_fallback"}
            or "MEDIATEUR" not in reply
        ):
            answered.append(f"{text!r} -> {reply!r}")
    assert len(answered) <= 1, "\n".join(answered)
