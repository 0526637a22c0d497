"""The French short replies shared by the booking forms and the privacy confirmation."""

from __future__ import annotations

import pytest

from bot.privacy.keywords import answer
from bot.replies import NO, PLAIN_NO, PLAIN_YES, YES, yes_or_no


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Oui", True),
        ("ok", True),
        ("ça marche", True),
        ("oui c'est ça", True),
        ("Non merci", False),
        ("un autre", False),
        ("non pas celui-là", False),
        ("jeudi", None),
        ("", None),
    ],
)
def test_yes_or_no(text: str, expected: bool | None) -> None:
    assert yes_or_no(text) is expected


def test_every_question_takes_the_plain_yes_and_no() -> None:
    assert PLAIN_YES <= YES and PLAIN_NO <= NO and not YES & NO
    for word in PLAIN_YES:
        assert answer(word, "4821") == "no_code"  # a plain yes to the erasure question still needs the code
    for word in PLAIN_NO:
        assert answer(word, "4821") == "no"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("نعم", True),
        ("إيه", True),
        ("واخا", True),
        ("نَعَم", True),  # short vowels written
        ("iyeh", True),
        ("Wakha", True),
        ("لا", False),
        ("لا شكرا", False),
        ("La", False),
        ("la choukran", False),
        ("là", None),  # French "there", never Darija's no
        ("là-bas", None),
        ("بغيت موعد", None),
    ],
)
def test_arabic_yes_and_no_are_read_in_every_question(text: str, expected: bool | None) -> None:
    assert yes_or_no(text) is expected
    if expected is not None:
        assert answer(text, "4821") == ("no_code" if expected else "no")
