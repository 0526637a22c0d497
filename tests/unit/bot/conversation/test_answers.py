"""Follow-up answers read against the context: steps, the same counter's other day, a relative, addresses."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.conversation.answers import NEED_TOPIC, NO_STEPS, Reply, follow_up_reply, relative_intro
from bot.conversation.context import Context, Service
from bot.conversation.followup import FollowUp, Kind, Part, detect
from bot.kb.model import Entry
from tests.sites import fixture_sites

PARIS = ZoneInfo("Europe/Paris")
WEDNESDAY_10H = datetime(2026, 12, 9, 10, 0, tzinfo=PARIS)
SITES = fixture_sites()
KB = {
    "caf_rsa": Entry("caf_rsa", "caf", "Le RSA...", (), (), None, steps=("1. Simulez.", "2. Demandez.")),
    "caf_contact": Entry("caf_contact", "caf", "Appelez le 3230.", (), (), None),
}
RSA = Context(Service.FAQ, "caf_rsa", "le rsa c quoi")


def reply(text: str, context: Context, home: str | None = None) -> Reply:
    found = detect(text)
    assert found is not None, text
    return follow_up_reply(found, context, KB, SITES, WEDNESDAY_10H, home)


def test_how_gives_the_topic_steps_or_offers_a_mediator() -> None:
    assert reply("comment je fais", RSA) == Reply(["1. Simulez.\n2. Demandez."])
    assert reply("je fais comment ?", Context(Service.FAQ, "caf_contact", "")) == Reply([NO_STEPS])
    assert reply("comment je fais", Context()) == Reply([NEED_TOPIC])


def test_a_relative_gets_the_same_topic_with_a_word_of_caution() -> None:
    assert reply("et pour mon mari ?", RSA) == Reply([relative_intro("votre mari")], topic="caf_rsa")
    assert "RDV" in relative_intro("votre mari")
    assert reply("pour mon mari aussi", Context(Service.HOURS, None, "horaires")) == Reply([NEED_TOPIC])


def test_another_day_of_the_counter_named_before() -> None:
    hours = Context(Service.HOURS, None, "horaires lyon 8")
    assert reply("et le mercredi après-midi ?", hours).texts == [
        "Lyon 8e, le mercredi après-midi : fermé (ouvert 9h-12h)."
    ]
    assert reply("et le mardi", hours).texts == ["Lyon 8e, le mardi : ouvert 9h-12h, 13h30-17h."]
    assert reply("et samedi matin ?", Context(Service.HOURS, None, "horaires vaulx")).texts == [
        "Vaulx-en-Velin, le samedi matin : ouvert 9h-12h."
    ]
    # No counter named: the remembered one, else every counter.
    assert reply("et demain ?", Context(), home="vaulx").texts == ["Vaulx-en-Velin, demain : ouvert 9h-12h."]
    assert len(reply("et le lundi", Context()).texts) == len(SITES.sites)


def test_a_public_holiday_on_the_next_such_day_is_said() -> None:
    christmas_eve = datetime(2026, 12, 24, 10, 0, tzinfo=PARIS)  # Thursday; Friday 25 is a public holiday
    found = FollowUp(Kind.DAY, weekday=4)
    texts = follow_up_reply(found, Context(Service.HOURS, None, "lyon 8"), KB, SITES, christmas_eve).texts
    assert texts == ["Lyon 8e, vendredi 25 décembre : fermé (jour férié)."]


def test_a_part_of_the_day_alone_lists_the_days_open_then() -> None:
    found = FollowUp(Kind.DAY, part=Part.AFTERNOON)
    texts = follow_up_reply(found, Context(Service.HOURS, None, "lyon 8"), KB, SITES, WEDNESDAY_10H).texts
    assert texts == ["Lyon 8e, l'après-midi : lundi 13h30-17h; mardi 13h30-17h; jeudi 13h30-17h; vendredi 13h30-16h30."]


def test_where_gives_the_address_of_the_counter_of_the_conversation() -> None:
    texts = reply("c'est où ?", Context(Service.HOURS, None, "horaires vaulx")).texts
    assert len(texts) == 1 and texts[0].startswith("PIMMS Vaulx-en-Velin (exemple) : 5 place de l'Exemple")
    assert len(reply("c'est où ?", RSA).texts) == len(SITES.sites)
