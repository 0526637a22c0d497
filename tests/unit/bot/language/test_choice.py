"""The LANGUE command, its menu, the answer by number or name, FRANCAIS."""

from __future__ import annotations

import pytest

from bot.language.choice import confirmation, fold, is_back_to_french, is_command, menu_text, parse_choice
from bot.language.codes import MENU_ORDER, Language
from bot.sms.encoding import UCS2, needs_ucs2


@pytest.mark.parametrize(
    "text",
    [
        "LANGUE",
        "langue",
        "LANGUAGE",
        "Language ?",
        "لغة",
        "اللغة",
        "IDIOMA",
        "LÍNGUA",
        "DİL",
        "LIMBA",
        "LIMBĂ",
        "МОВА",
        "язык",
    ],
)
def test_the_command_in_every_language(text: str) -> None:
    assert is_command(text)


@pytest.mark.parametrize("text", ["quelle langue parlez vous", "langue des signes", "dilemme", "1", "francais"])
def test_other_messages_are_not_the_command(text: str) -> None:
    assert not is_command(text)


def test_fold_keeps_every_script() -> None:
    assert fold("DİL") == "dil" and fold("LÍNGUA !") == "lingua" and fold("  لغة ") == "لغة"


def test_the_menu_names_each_language_in_itself_numbered_in_order() -> None:
    menu = menu_text()
    for number, language in enumerate(MENU_ORDER, start=1):
        assert f"{number} {language.native_name}" in menu
    assert "1 Français" in menu and "2 العربية" in menu and "3 English" in menu and "7 Română" in menu


def test_the_menu_fits_three_sms_segments() -> None:
    assert needs_ucs2(menu_text())  # Arabic and Cyrillic names: UCS-2, 67 units per part of a long SMS
    assert UCS2.measure(menu_text()) <= 3 * UCS2.concat


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("1", Language.FR),
        ("2", Language.AR),
        ("3", Language.EN),
        ("4", Language.ES),
        ("5", Language.PT),
        ("6", Language.TR),
        ("7", Language.RO),
        (" 3 ", Language.EN),
        ("English", Language.EN),
        ("العربية", Language.AR),
        ("español", Language.ES),
        ("Portugues", Language.PT),
        ("TÜRKÇE", Language.TR),
        ("romana", Language.RO),
        ("en", Language.EN),
    ],
)
def test_the_answer_to_the_menu(text: str, language: Language) -> None:
    assert parse_choice(text, menu_open=True) == language


def test_numbers_and_two_letter_codes_are_choices_only_when_the_menu_is_open() -> None:
    assert parse_choice("3", menu_open=False) is None
    assert parse_choice("en", menu_open=False) is None
    assert parse_choice("english", menu_open=False) == Language.EN
    assert parse_choice("0", menu_open=True) is None and parse_choice("12", menu_open=True) is None
    assert parse_choice("je veux un rdv", menu_open=True) is None


@pytest.mark.parametrize("text", ["FRANCAIS", "français", "Francais !", "french", "en français"])
def test_francais_comes_back_to_french(text: str) -> None:
    assert is_back_to_french(text)


def test_every_language_has_a_confirmation() -> None:
    assert all(confirmation(language) for language in Language)
