"""What the resident reads while waiting, from the site's opening hours."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.handoff.messages import (
    CALLBACK_OFFER,
    is_cancel,
    is_status_question,
    position_text,
    waiting_messages,
    when_label,
)
from bot.sites import OpeningSpan, Site

TZ = ZoneInfo("Europe/Paris")
SITE = Site(
    id="demo",
    name="PIMMS Démo",
    short_name="Démo",
    address="1 rue X",
    hours={d: (OpeningSpan(time(9), time(12)), OpeningSpan(time(13, 30), time(17))) for d in range(5)},
)


def test_open_site_gives_the_place_in_the_queue() -> None:
    now = datetime(2026, 11, 27, 10, 0, tzinfo=TZ)  # Friday morning
    first, second = waiting_messages(3, SITE, now, TZ)
    assert "n°3" in first and "dès que possible" in first
    assert "ANNULER" in second


def test_closed_site_says_when_and_offers_a_callback() -> None:
    now = datetime(2026, 11, 27, 18, 30, tzinfo=TZ)  # Friday evening -> Monday 9h
    first, second = waiting_messages(1, SITE, now, TZ)
    assert "absents" in first and "lundi 30 novembre à 9h" in first
    assert second.startswith(CALLBACK_OFFER) and "RDV" in second


def test_lunch_break_answers_today() -> None:
    now = datetime(2026, 11, 26, 12, 15, tzinfo=TZ)
    assert "à 13h30" in waiting_messages(1, SITE, now, TZ)[0]
    assert when_label(datetime(2026, 11, 27, 9, tzinfo=TZ), now, TZ) == "demain à 9h"


def test_messages_fit_two_sms_segments() -> None:
    now = datetime(2026, 11, 27, 18, 30, tzinfo=TZ)
    assert all(len(text) <= 306 for text in waiting_messages(12, SITE, now, TZ))


def test_position_text() -> None:
    assert "prochain" in position_text(1)
    assert "n°2" in position_text(2)


def test_cancel_words_in_sms_spelling() -> None:
    assert all(is_cancel(t) for t in ("annuler", "ANNULER", "Annulé", "anuler !", "annule."))
    assert not any(is_cancel(t) for t in ("", None, "je veux annuler mon rdv", "stop", "oui"))


@pytest.mark.parametrize(
    "text",
    [
        "laissez tomber, c'est réglé",
        "c bon j'ai trouvé merci",
        "plus besoin merci",
        "finalement non",
        "tant pis je passerai",
        "oubliez ma demande svp",
        "laisse tomber",
        "je me suis débrouillée merci",
    ],
)
def test_withdrawals_in_plain_words(text: str) -> None:
    assert is_cancel(text)


@pytest.mark.parametrize(
    "text",
    [
        "ne laissez pas tomber svp",
        "j'ai trouvé un courrier de la caf, je fais quoi ?",  # a question, not a withdrawal
        "c'est bon merci",  # often only acknowledges the wait
        "je veux annuler mon rdv",
        "ok",
    ],
)
def test_not_withdrawals(text: str) -> None:
    assert not is_cancel(text)


@pytest.mark.parametrize(
    "text",
    ["ça va être long ?", "y a quelqu'un ?", "allo", "vous etes la ?", "toujours personne", "combien de temps encore"],
)
def test_direct_questions_about_the_wait(text: str) -> None:
    assert is_status_question(text)


@pytest.mark.parametrize(
    "text",
    [
        "ok merci",
        "c'est pour mon dossier caf",
        "",
        None,
        "personne ne m'aide pour mon loyer et mes factures depuis des mois alors",
    ],
)
def test_other_messages_are_not_questions_about_the_wait(text: str | None) -> None:
    assert not is_status_question(text)


def test_waiting_messages_in_the_resident_language() -> None:
    """Issue 23: the place in the queue and when a mediator answers, in the resident's language; French unchanged."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from bot.handoff import messages
    from bot.language.texts import localize
    from bot.sites import load_sites
    from tests.sites import SITES_FILE

    paris = ZoneInfo("Europe/Paris")
    site = load_sites(SITES_FILE).default()
    tuesday_10h, sunday_10h = datetime(2026, 12, 1, 10, tzinfo=paris), datetime(2026, 12, 6, 10, tzinfo=paris)
    open_en = messages.waiting_messages(3, site, tuesday_10h, paris, language="en")
    assert open_en == [
        f"{localize(messages.INTRO, 'en')} You are number 3 in the queue. {localize(messages.ANSWER_SOON, 'en')}",
        localize(messages.CANCEL_HINT, "en"),
    ]
    closed_ar = messages.waiting_messages(1, site, sunday_10h, paris, language="ar")
    assert closed_ar[0].endswith(localize(messages.ANSWER_ON_RETURN, "ar")) and "ANNULER" in closed_ar[1]
    french = messages.waiting_messages(1, site, tuesday_10h, paris)
    assert french[0].endswith("Vous êtes le prochain dans la file d'attente. Il vous répondra ici dès que possible.")
    assert messages.already_waiting(2, "tr").startswith(localize(messages.REGISTERED, "tr"))
    assert messages.acknowledgement(2, site, tuesday_10h, paris, "es").startswith(localize(messages.RECEIVED, "es"))
    assert messages.acknowledgement(2, site, tuesday_10h, paris) == messages.acknowledgement(
        2, site, tuesday_10h, paris, "fr"
    )


def test_the_status_line_in_the_resident_language() -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from bot.handoff import messages
    from bot.language.texts import localize
    from bot.sites import load_sites
    from tests.sites import SITES_FILE

    paris = ZoneInfo("Europe/Paris")
    site = load_sites(SITES_FILE).default()
    tuesday_10h, sunday_10h = datetime(2026, 12, 1, 10, tzinfo=paris), datetime(2026, 12, 6, 10, tzinfo=paris)
    assert messages.status_line(2, site, tuesday_10h, paris, "en") == (
        f"You are number 2 in the queue. {localize(messages.ANSWER_SOON, 'en')}"
    )
    closed = messages.status_line(1, site, sunday_10h, paris, "ro")
    assert closed.startswith(localize(messages.POSITION_NEXT, "ro")) and localize(messages.ABSENT, "ro") in closed
    assert messages.status_line(1, site, tuesday_10h, paris) == messages.status_line(1, site, tuesday_10h, paris, "fr")
