"""Short elliptical follow-ups are recognised without context; full questions and greetings are not."""

from __future__ import annotations

import pytest

from bot.conversation.followup import FollowUp, Kind, Part, detect, overrides


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("comment je fais", FollowUp(Kind.HOW, first_person=True)),
        ("Je fais comment ?", FollowUp(Kind.HOW, first_person=True)),
        ("je dois faire quoi", FollowUp(Kind.HOW, first_person=True)),
        ("et après ?", FollowUp(Kind.HOW)),
        ("c'est où", FollowUp(Kind.WHERE)),
        ("c ou exactement", FollowUp(Kind.WHERE)),
        ("et le mardi", FollowUp(Kind.DAY, weekday=1)),
        ("et le mercredi après-midi ?", FollowUp(Kind.DAY, weekday=2, part=Part.AFTERNOON)),
        ("et samedi matin", FollowUp(Kind.DAY, weekday=5, part=Part.MORNING)),
        ("c ouvert demain aprem ?", FollowUp(Kind.DAY, offset=1, part=Part.AFTERNOON)),
        ("pour mon mari aussi", FollowUp(Kind.RELATIVE, relative="votre mari")),
        ("et pour ma fille ?", FollowUp(Kind.RELATIVE, relative="votre fille")),
        ("mes enfants ont droit aussi ?", FollowUp(Kind.RELATIVE, relative="vos enfants")),
        ("et mes enfants ?", FollowUp(Kind.RELATIVE, relative="vos enfants")),
        ("non pardon le jeudi", FollowUp(Kind.DAY, weekday=3)),  # a correction of the day
    ],
)
def test_follow_ups(text: str, expected: FollowUp | None) -> None:
    assert detect(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "comment je fais pour la prime d'activité",  # a full question: the topic change wins
        "et la caf c'est où",
        "il me faut une adresse pour mes demarches",
        "à demain",
        "bon dimanche",
        "bonjour",
        "",
        None,
        "oui",
        "oui ou non",  # "ou" is "or" here
        "horaires",
        "et et et et et et et et et et et le mardi",  # too long to be a follow-up
    ],
)
def test_not_follow_ups(text: str | None) -> None:
    assert detect(text) is None


def test_the_classifier_keeps_intents_whose_action_reads_the_context_itself() -> None:
    day, how = FollowUp(Kind.DAY, weekday=1), FollowUp(Kind.HOW)
    assert not overrides(day, "ask_hours") and overrides(day, "goodbye") and overrides(day, "faq/caf_rsa")
    assert not overrides(FollowUp(Kind.WHERE), "ask_address") and not overrides(how, "more")
    assert not overrides(how, "capabilities")  # "comment ça marche ?" is about the assistant
    assert overrides(FollowUp(Kind.HOW, first_person=True), "capabilities")  # "comment je fais ?"
    assert overrides(FollowUp(Kind.RELATIVE, relative="votre mari"), "faq/carte_vitale")
