"""Privacy keywords, the scope of privacy requests, and the texts' SMS budget."""

from __future__ import annotations

import pytest

from bot.privacy import messages
from bot.privacy.keywords import answer, classify
from bot.privacy.scope import is_erase_request_for_us, is_info_request_for_us
from bot.sms import render_buttons
from bot.sms.gsm import segment_count

# Ordinary questions about other organisations' "données": never an erasure, never our privacy notice.
OTHER_ORGANISATIONS_DATA = [
    "comment mettre à jour mes données caf",
    "Comment modifier mes données sur le site de la CAF ?",
    "la caf me demande de confirmer mes données",
    "mes données caf sont fausses",
    "je dois actualiser mes données france travail",
    "France Travail a perdu mes données",
    "comment supprimer mes données de mon compte france travail",
    "supprimer mes donnees pole emploi",
    "effacer mon compte ameli",
    "je veux supprimer mes données chez la caf",
    "mettre a jour mes donnees personnelles sur caf.fr",
    "comment corriger mes données sur impots.gouv",
    "la CAF garde mes données combien de temps ?",
    "france travail partage mes données avec la caf ?",
    "mes donnees bancaires caf",
    "changement de situation caf données",
]


@pytest.mark.parametrize("text", ["EFFACER", "effacer", "Effacez !", "effacer tout", "supprimez mes données", "Efacer"])
def test_erase_keyword(text: str) -> None:
    assert classify(text) == "erase"


@pytest.mark.parametrize("text", ["MES DONNEES", "mes données", "Mes données ?", "RGPD", "vie privée"])
def test_info_keyword(text: str) -> None:
    assert classify(text) == "info"


@pytest.mark.parametrize("text", [*OTHER_ORGANISATIONS_DATA, "effacer mon rdv ?", "données", "bonjour", ""])
def test_questions_are_not_keywords(text: str) -> None:
    assert classify(text) is None


@pytest.mark.parametrize("text", OTHER_ORGANISATIONS_DATA)
def test_other_organisations_data_is_not_a_request_about_us(text: str) -> None:
    assert not is_erase_request_for_us(text)
    assert not is_info_request_for_us(text)


@pytest.mark.parametrize(
    "text",
    [
        "supprimez mes données",
        "je veux que vous effaciez tout",
        "suprimez mes donné",
        "oubliez moi svp",
        "efface tout",
        "videz mon historique",
    ],
)
def test_natural_erase_requests_are_about_us(text: str) -> None:
    assert is_erase_request_for_us(text)


@pytest.mark.parametrize("text", ["vous gardez mes messages ?", "qui lit mes messages", "c'est confidentiel ?"])
def test_info_questions_are_about_us(text: str) -> None:
    assert is_info_request_for_us(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("EFFACER 4821", "yes"),
        ("effacer 4821 !", "yes"),
        ("Oui 4821", "yes"),
        ("4821", "yes"),
        ("EFFACER 4822", "wrong_code"),
        ("1234", "wrong_code"),
        ("OUI", "no_code"),
        ("oui !", "no_code"),
        ("1", "no_code"),
        ("effacer", "no_code"),
        ("Non", "no"),
    ],
)
def test_confirmation_answers_need_the_code(text: str, expected: str) -> None:
    assert answer(text, "4821") == expected


@pytest.mark.parametrize(
    "text", ["oui mais je veux un rdv", "non je voulais dire la caf", "peut-être", "rdv", "4821 rue"]
)
def test_longer_messages_are_not_answers(text: str) -> None:
    assert answer(text, "4821") is None


def test_first_contact_notice_fits_one_sms() -> None:
    assert segment_count(messages.first_contact_notice(90)) == 1


def test_confirmation_fits_one_sms_and_its_buttons_carry_the_code() -> None:
    assert segment_count(messages.confirm_erase("4821")) == 1
    assert "répondez EFFACER 4821" in messages.confirm_erase("4821")
    assert segment_count(render_buttons(messages.confirm_erase("4821"), messages.confirm_buttons("4821"))) <= 2


@pytest.mark.parametrize(
    "text",
    [
        messages.confirm_erase("4821"),
        messages.code_reminder("4821"),
        messages.WRONG_CODE,
        messages.TOO_MANY_CODES.format(contact=messages.contact_line("PIMMS Lyon 8e (exemple)", "04 00 00 00 00")),
        messages.KEPT,
        messages.erased(2, True),
        messages.erased(0, False),
        messages.info(90, messages.contact_line("PIMMS Lyon 8e (exemple)", "04 00 00 00 00")),
        messages.ERASE_FAILED.format(contact=messages.contact_line("PIMMS Lyon 8e (exemple)", "04 00 00 00 00")),
    ],
)
def test_privacy_texts_fit_two_sms(text: str) -> None:
    assert segment_count(text) <= 2


def test_erased_reply_says_the_opt_out_is_kept() -> None:
    assert "STOP" in messages.erased(0, True) and "garde" in messages.erased(0, True)
    assert "annulé" in messages.erased(1, False)


def test_privacy_keywords_in_the_residents_other_languages() -> None:
    """Issue 23: EFFACER and MES DONNEES keep working, and so do their equivalents in each language."""
    from bot.privacy.keywords import classify

    for text in ("delete my data", "Borrar mis datos", "apagar os meus dados", "verilerimi sil", "stergeti datele"):
        assert classify(text) == "erase", text
    for text in ("MY DATA", "mis datos", "os meus dados", "verilerim", "datele mele", "MES DONNEES"):
        assert classify(text) == "info", text
    assert classify("my data caf") is None  # whole messages only


def test_the_contact_line_is_in_the_residents_language() -> None:
    """Issue 23: "contact the PIMMS ... on 04 ..." in English, not "le ... au ..." inside an English sentence."""
    from bot.language.texts import localize

    line = messages.contact_line("PIMMS Lyon 8e (exemple)", "04 00 00 00 00", "en")
    assert line == "the PIMMS Lyon 8e (exemple) on 04 00 00 00 00"
    assert messages.contact_line("PIMMS Lyon 8e", "", "es") == "el PIMMS Lyon 8e"
    assert messages.contact_line("PIMMS Lyon 8e", "04 00 00 00 00") == "le PIMMS Lyon 8e au 04 00 00 00 00"
    assert " au " not in localize(messages.TOO_MANY_CODES, "en").format(contact=line)
