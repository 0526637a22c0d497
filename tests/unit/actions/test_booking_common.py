"""Reading SMS replies: menu numbers, yes/no, "autres jours"."""

from __future__ import annotations

import pytest

from actions.booking_common import parse_yes_no
from bot.replies import asks_other_days, parse_choice
from tests.unit.bot.booking.helpers import make_tracker


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("1", 1),
        (" 2 ", 2),
        ("le 3", 3),
        ("n°2", 2),
        ("numero 4", 4),
        ("2 svp", 2),
        ("deux", 2),
        ("Le premier", 1),
        ("4 autres jours", 4),
        ("3 décembre", None),
        ("10h", None),
        ("oui", None),
        ("rdv caf", None),
    ],
)
def test_parse_choice(text: str, number: int | None) -> None:
    assert parse_choice(text) == number


@pytest.mark.parametrize(
    ("text", "intent", "answer"),
    [
        ("oui", "", True),
        ("OUI", "", True),
        ("ok", "", True),
        ("d'accord", "", True),
        ("oui merci beaucoup", "", True),
        ("non", "", False),
        ("nan", "", False),
        ("ouep", "affirm", True),
        ("pas du tout", "deny", False),
        ("peut-être", "nlu_fallback", None),
    ],
)
def test_parse_yes_no(text: str, intent: str, answer: bool | None) -> None:
    assert parse_yes_no(make_tracker(text, intent)) is answer


def test_other_days() -> None:
    assert asks_other_days("autres jours") and asks_other_days("d'autres dates svp")
    assert not asks_other_days("jeudi")
