"""The booking questions asked with live data: the configured network's name, numbered, one SMS each."""

from __future__ import annotations

from bot.booking import messages
from bot.sms.gsm import is_gsm7, segment_count
from tests.sites import fixture_sites


def test_the_site_question_names_the_configured_network() -> None:
    sites = fixture_sites()
    text = messages.site_question(sites.sites[:2], sites.network)
    assert text.startswith(f"Dans quel lieu des {sites.network} ? Répondez par un numéro :\n1 : ")
    assert f"\n2 : {sites.sites[1].short_name}" in text


def test_the_questions_are_numbered_and_fit_one_sms() -> None:
    texts = [
        messages.motive_question("1 : CAF\n2 : Retraite"),
        messages.site_question(fixture_sites().sites, "PIMMS de Lyon"),
        messages.target_question(["mardi 8 décembre à 9h, Vaise", "jeudi 10 décembre à 14h, Gerland"]),
    ]
    for text in texts:
        assert "Répondez par un numéro" in text and "\n1 : " in text
        assert is_gsm7(text) and segment_count(text) <= 2


def test_booking_texts_in_english_use_english_dates() -> None:
    """Issue 23: a resident who chose English reads the offers, the recap and the confirmation in English."""
    from datetime import datetime as _dt

    from bot.booking import messages as m

    assert m.cancel_question(_dt(2026, 12, 1, 9, 30), "AB12", "en") == (
        "Cancel the appointment on Tuesday 1 December at 9:30 (ref. AB12)? Reply YES or NO."
    )
    assert m.list_text(["x"], "es") == "Sus citas:\nx\nPara anular, escriba ANNULER RDV."
    assert m.motive_question("1 : CAF", "fr").startswith("C'est pour quelle démarche ?")


def test_the_motives_and_papers_in_each_language_fit_the_sms_budget() -> None:
    """Issue 23: the menu and the papers to bring in the resident's language (no French left but institutions'
    names); the papers message within 3 segments (UCS-2 counted for Arabic, Turkish and Romanian), the menu
    within 3 too."""
    from bot.booking.motives import load_motives
    from bot.language.texts import TRANSLATED, localize
    from bot.sms.encoding import shape

    def segments(text: str) -> int:
        clean, alphabet = shape(text)
        size = alphabet.measure(clean)
        return 1 if size <= alphabet.single else -(-size // alphabet.concat)

    catalog = load_motives()
    for language in TRANSLATED:
        menu = messages.motive_question(catalog.menu(language), language)
        assert "Titre de séjour" not in menu and segments(menu) <= 3, (language, menu)
        for motive in catalog.motives:
            papers = f"{localize(messages.BRING, language).format(papers=motive.papers_text(language))} "
            papers += localize(messages.CANCEL_HOWTO, language)
            assert "pièce d'identité" not in papers and "(in French)" not in papers
            assert segments(papers) <= 3, (language, motive.id, papers)
