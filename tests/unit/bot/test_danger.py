"""Danger detector on SMS-style French: the right kind (hence number) or nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.danger import (
    CHILD,
    KINDS,
    MEDICAL,
    NUMBERS,
    SHELTER,
    SUICIDE,
    VIOLENCE,
    detect,
    intent_for,
)

ROOT = Path(__file__).resolve().parents[3]

SUICIDE_TEXTS = [
    "je veux me suicider",
    "jveu me tuer",
    "J'ai envie de me tuer",
    "jai envi de me tuer svp aidez moi",
    "je pense a me suicidé",
    "je vais me tuer ce soir",
    "suicide",
    "idées suicidaires depuis une semaine",
    "je veux en finir",
    "j'ai envie d'en finir avec la vie",
    "je veux en finir avec tout",
    "plus envie de vivre",
    "j'ai plus envie de vivre",
    "PLUS ENVIE DE VIVRE",
    "pas envie de vivre sans elle",
    "je veux mourir",
    "envie de mourir",
    "marre de la vie",
    "j'en ai marre de vivre",
    "Je pense à disparaître pour toujours",
    "je vais mettre fin à mes jours",
    "je vais me jeter sous un train",
    "sauter du pont",
    "ma vie n'a plus de sens",
    "mon fils veut se suicider",
    "ma soeur parle de se tuer",
    "je sui suisidaire",
    "jvé me suicidé",
    "g envie de mourir",
    "jai envi de mourir",
    "je v me tuer",
    "jve mourir",
    "jveux en finir",
    "je veu plus vivre",
    "je ne veux plus vivre",
    "j'ai plus la force de vivre",
    "je veux me foutre en l air",
    "mieux vaut que je disparaisse",
    "je vais me flinguer",
    "jveu mourire",
]

MEDICAL_TEXTS = [
    "mon père fait un arrêt cardiaque",
    "j'ai une douleur au coeur",
    "ma mère s'est effondrée dans la cuisine",
    "il fait une hémorragie",
    "il faut appeler le samu",
    "mon père fait un malaise",
    "malaise au guichet",
    "il respire plus",
    "elle respire pas bien",
    "je n'arrive plus à respirer",
    "crise cardiaque",
    "je crois qu'il fait une crise cardiaque",
    "ma mère fait un AVC",
    "douleur dans la poitrine",
    "il est inconscient",
    "elle a perdu connaissance",
    "mon mari s'est évanoui",
    "il se réveille plus",
    "il saigne beaucoup",
    "overdose",
    "mon fils convulse",
    "il s'étouffe",
    "urgence médicale",
    "ma mere respire plu",
    "crise cardiak",
    "il est tombé et bouge plus",
    "il a pris trop de medicaments",
    "mon bebe respire pas",
]

CHILD_TEXTS = [
    "inceste dans ma famille, ma fille a 8 ans",
    "enfant en danger",
    "mon enfant est en danger",
    "les enfants sont en danger chez le voisin",
    "il frappe les enfants",
    "mon mari bat mes enfants",
    "la voisine tape son fils tous les soirs",
    "enfant maltraité",
    "je crois qu'un enfant est maltraité",
    "maltraitance sur un enfant",
    "ma fille se fait frapper par son beau père",
    "mon voisin tape ses gosses",
    "les enfants se font battre",
    "mon beau père me frappe j'ai 14 ans",
    "il me frappe je suis mineure",
]

VIOLENCE_TEXTS = [
    "j'ai reçu des coups de pied",
    "j'ai subi une agression",
    "on m'a enfermée dans la chambre",
    "mon voisin m'a menacé",
    "il ma menacée",
    "il me frappe",
    "mon mari me bat",
    "mon copain me tape",
    "il m'a frappée hier",
    "il m a battue",
    "je suis battue",
    "violence conjugale",
    "je subis des violences",
    "mon mari est violent",
    "on me menace",
    "il me menace",
    "il va me tuer",
    "mon ex veut me tuer",
    "menaces de mort",
    "j'ai peur de mon mari",
    "il m'a violée",
    "je me suis fait agresser, j'ai été agressée",
    "il ma frapé",
    "il me frap",
    "mon mari me bas",
    "il ma tapé",
    "violances conjugales",
    "il ma etranglé",
    "il m'a mis une claque",
    "je me fais frapper",
    "je me fais battre par mon mari",
    "il me menace avec un couteau",
]

SHELTER_TEXTS = [
    "je n'ai nulle part où aller",
    "où dormir cette nuit ?",
    "on m'a mis à la porte de chez moi",
    "je dors dehors",
    "je dors dehors ce soir",
    "je vais dormir dans la rue",
    "je suis à la rue",
    "a la rue ce soir",
    "nulle part ou dormir",
    "nul part ou dormir ce soir",
    "j'ai pas d'endroit pour dormir",
    "je sais pas ou dormir ce soir",
    "on est sans abri",
    "je suis SDF",
    "besoin d'un hébergement d'urgence",
    "ma mère m'a mis dehors",
    "le 115 répond pas",
    "dormir dans ma voiture",
    "chui a la rue",
    "jsuis a la rue",
    "jdors dehors",
    "je dort dehor",
    "pas de toit ce soir",
    "on m'a expulsé je suis dehors",
    "je suis dehors avec mes enfants",
]

SAFE_TEXTS = [
    "la CAF m'a menacé de radiation",
    "le bailleur m'a menacé d'expulsion",
    "France Travail m'a menacée de suspension",
    "je suis tué de fatigue",
    "ça me tue ces papiers",
    "ca va me tuer cette paperasse",
    "je me bat contre la caf",
    "je veux en finir avec ce dossier",
    "j'aimerais en finir avec la CAF",
    "rue de la République",
    "j'habite 12 rue du Plat",
    "j'ai une dette de 115 euros",
    "France Travail me menace de radiation",
    "la caf me menace de suspendre le rsa",
    "le proprio me menace d'expulsion",
    "cmt faire mon actualisation",
    "jsp comment avoir le rsa",
    "mon fils a besoin d'une carte vitale",
    "rdv pour ma fille svp",
    "c'est quoi le numéro de la caf",
    "j'ai mal au coeur",
    "mon enfant ne se réveille pas le matin pour l'école",
    "il est mort de rire",
    "je vais mourir de faim si la caf paie pas",
    "bonjour",
    "",
    "   ",
    "!!!",
    "je veux résilier mon abonnement",
    "succession de mon père",
    "je cherche un travail",
    "le violon de ma fille",
    "je suis dehors devant le pimms",
    "la caf repond plus",
    "ma poussette est cassée",
    "des coups de fil",
    "ma tante a 14 ans de plus",
    "je me bas pour mes droits",
    "je veux disparaître des fichiers de la caf",
    "jv passer demain",
    "je v au pimms",
    "malaise administratif",
]


@pytest.mark.parametrize("text", SUICIDE_TEXTS)
def test_suicide(text: str) -> None:
    assert detect_kind(text) == SUICIDE


@pytest.mark.parametrize("text", MEDICAL_TEXTS)
def test_medical(text: str) -> None:
    assert detect_kind(text) == MEDICAL


@pytest.mark.parametrize("text", CHILD_TEXTS)
def test_child(text: str) -> None:
    assert detect_kind(text) == CHILD


@pytest.mark.parametrize("text", VIOLENCE_TEXTS)
def test_violence(text: str) -> None:
    assert detect_kind(text) == VIOLENCE


@pytest.mark.parametrize("text", SHELTER_TEXTS)
def test_shelter(text: str) -> None:
    assert detect_kind(text) == SHELTER


@pytest.mark.parametrize("text", SAFE_TEXTS)
def test_no_false_positive(text: str) -> None:
    assert detect(text) is None


def detect_kind(text: str | None) -> str | None:
    """The kind of the most urgent danger found, or None."""
    match = detect(text)
    return match.kind if match else None


def test_none_text() -> None:
    assert detect(None) is None


def test_suicide_wins_over_shelter() -> None:
    assert detect_kind("je dors dehors et j'ai envie d'en finir") == SUICIDE


def test_threat_is_violence_not_suicide() -> None:
    match = detect("elle a menacé de me tuer")
    assert match is not None and match.kind == VIOLENCE
    assert match.intent == "danger_violence"


def test_every_kind_has_numbers_and_intent() -> None:
    for kind in KINDS:
        assert NUMBERS[kind]
        assert intent_for(kind) == f"danger_{kind}"
    assert NUMBERS[SUICIDE][0] == "3114"
    assert NUMBERS[VIOLENCE][0] == "3919"
    assert NUMBERS[CHILD][0] == "119"
    assert NUMBERS[SHELTER][0] == "115"
    assert NUMBERS[MEDICAL][0] == "15"


def test_every_number_of_each_kind() -> None:
    """The numbers given for each kind, first the one to call now (sources: domain/danger.yml)."""
    assert NUMBERS == {
        SUICIDE: ("3114", "15"),
        MEDICAL: ("15", "112"),
        CHILD: ("119", "17"),
        VIOLENCE: ("3919", "17", "114"),
        SHELTER: ("115",),
    }


def test_nlu_examples_all_detected() -> None:
    import yaml

    data = yaml.safe_load((ROOT / "data" / "nlu" / "danger.yml").read_text(encoding="utf-8"))
    for block in data["nlu"]:
        kind = block["intent"].removeprefix("danger_")
        for line in block["examples"].splitlines():
            text = line.strip().removeprefix("- ")
            if text:
                assert detect_kind(text) == kind, text


def test_danger_responses_give_the_number_in_one_sms() -> None:
    import yaml

    from bot.sms.gsm import segment_count, transliterate

    domain = yaml.safe_load((ROOT / "domain" / "danger.yml").read_text(encoding="utf-8"))
    assert set(domain["intents"]) == {intent_for(kind) for kind in KINDS} | {"danger_unsure"}
    for kind in KINDS:
        [response] = [v for v in domain["responses"][f"utter_danger_{kind}"] if "condition" not in v]  # French
        for number in NUMBERS[kind]:
            assert number in response["text"]
        assert segment_count(transliterate(response["text"])) == 1
        assert response["metadata"]["sources"]
    rules = yaml.safe_load((ROOT / "data" / "rules" / "danger.yml").read_text(encoding="utf-8"))["rules"]
    for kind in KINDS:
        [rule] = [r for r in rules if r["steps"][0] == {"intent": intent_for(kind)}]
        assert rule["steps"][1:] == [{"action": f"utter_danger_{kind}"}, {"action": "action_handoff_urgent"}]
