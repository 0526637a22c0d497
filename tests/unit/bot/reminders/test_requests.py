"""Requests in plain words: which programme, which date (today is fixed; a date without a year is the next one)."""

from __future__ import annotations

from datetime import date

import pytest

from bot.commands import command_intent
from bot.optout_intent import NONE, decide
from bot.reminders.keywords import reminder_intent
from bot.reminders.programmes import Programme
from bot.reminders.requests import Request, parse_detail, parse_request
from bot.text import normalize

TODAY = date(2026, 12, 7)


@pytest.mark.parametrize(
    ("text", "request_"),
    [
        ("prévenez-moi pour l'actualisation", Request(Programme.ACTUALISATION)),
        ("un sms pour pas oublier mon pointage", Request(Programme.ACTUALISATION)),
        ("rappelez-moi le 15 janvier pour la préfecture", Request(Programme.ONE_OFF, day=date(2027, 1, 15))),
        ("rappelle moi le 1er mars", Request(Programme.ONE_OFF, day=date(2027, 3, 1))),
        ("un rappel le 10/12 svp", Request(Programme.ONE_OFF, day=date(2026, 12, 10))),
        ("ma carte expire le 15/03/2027", Request(Programme.RESIDENCE_PERMIT, day=date(2027, 3, 15))),
        ("mon titre de séjour expire le 01.12.26", Request(Programme.RESIDENCE_PERMIT, day=date(2026, 12, 1))),
        ("je veux un rappel pour renouveler ma carte de séjour", Request(Programme.RESIDENCE_PERMIT)),
        (
            "ma dernière déclaration trimestrielle c'était en octobre",
            Request(Programme.QUARTERLY, last_declaration=date(2026, 10, 1)),
        ),
        ("rappel pour ma DTR", Request(Programme.QUARTERLY)),
        ("je veux des rappels", None),
        ("rappelez-moi de prendre ma carte vitale", None),  # not a residence card
        ("bonjour", None),
    ],
)
def test_parse_request(text: str, request_: Request | None) -> None:
    assert parse_request(text, TODAY) == request_


def test_details_after_an_accepted_offer() -> None:
    assert parse_detail("RAPPEL 15/03/2027", TODAY, Programme.RESIDENCE_PERMIT) == Request(
        Programme.RESIDENCE_PERMIT, day=date(2027, 3, 15)
    )
    assert parse_detail("rappel octobre", TODAY, Programme.QUARTERLY) == Request(
        Programme.QUARTERLY, last_declaration=date(2026, 10, 1)
    )
    assert parse_detail("je sais pas", TODAY, Programme.RESIDENCE_PERMIT) is None


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("RAPPELS", "reminders_list"),
        ("Mes rappels", "reminders_list"),
        ("STOP RAPPELS", "reminders_stop"),
        ("stop rappel 2", "reminders_stop"),
        ("Arrêter les rappels svp", "reminders_stop"),
        ("FAIT", "reminders_done"),
        ("c'est fait", "reminders_done"),
        ("RAPPEL 15/03/2027", "reminders_request"),
        ("rappel octobre", "reminders_request"),
        ("prévenez-moi pour l'actualisation", "reminders_request"),
        ("rappelez-moi le 15 janvier pour la préfecture", "reminders_request"),
        ("ma carte expire le 15/03/2027, prévenez-moi", "reminders_request"),
        ("rappel rdv", None),  # the appointment's reminder: left to the classifier
        ("rappelez moi la date de mon rendez vous", None),
        ("rappelez moi", None),  # a call back: left to the classifier (hand-off)
        ("STOP", None),
    ],
)
def test_keywords(text: str, intent: str | None) -> None:
    assert (command_intent(text) or reminder_intent(normalize(text))) == intent


@pytest.mark.parametrize("text", ["STOP RAPPELS", "stop rappel 1", "Stop les rappels merci", "arrêtez mes rappels"])
def test_stop_rappels_is_not_the_channels_stop(text: str) -> None:
    assert decide(normalize(text)) == NONE
