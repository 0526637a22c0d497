"""Report themes come from knowledge-base topics: every topic lands in a named theme on purpose."""

from __future__ import annotations

from bot.activity import themes
from bot.kb.model import KB_DIR, load_kb

# Topics that are not about one administration: counted under "Autres démarches" on purpose.
OTHER = {
    "livret_a",
    "tcl_solidaire",
    "simulateurs",
    "aide_courrier",
    "rdv_papiers",
    "cout_gratuit",
    "arnaque_message",
    "vrai_pimms",
    "laposte_reexpedition",
    "laposte_procuration",
    "numerique_acces",
}


def test_every_kb_topic_has_a_theme() -> None:
    """A new knowledge-base topic gets a report theme here (TOPICS or PREFIXES), or joins OTHER on purpose."""
    topics = {entry.id for entry in load_kb(KB_DIR)}
    unmapped = {t for t in topics if themes.theme_of(t) == themes.AUTRE}
    assert unmapped <= OTHER, unmapped - OTHER


def test_prefixes_and_exceptions() -> None:
    assert themes.theme_of("caf_rsa") == themes.CAF
    assert themes.theme_of("caf_logement") == themes.LOGEMENT
    assert themes.theme_of("ft_radiation") == themes.FRANCE_TRAVAIL
    assert themes.theme_of("titre_recepisse") == themes.SEJOUR
    assert themes.theme_of("impots_avis") == themes.IMPOTS
    assert themes.theme_of("sncf_amende") == themes.TRANSPORTS and themes.theme_of("telecom_contrat") == themes.BUDGET
    assert themes.theme_of("titre_perte_vol") == themes.SEJOUR and themes.theme_of("logement_prive") == themes.LOGEMENT
    assert themes.topic_of("utter_faq/css") == "css" and themes.topic_of("utter_greet") == ""


def test_recent_themes_from_tracker_events() -> None:
    def faq(topic: str) -> dict[str, object]:
        selector = {"faq": {"response": {"intent_response_key": f"faq/{topic}"}}}
        return {"event": "user", "parse_data": {"intent": {"name": "faq"}, "response_selector": selector}}

    events = [faq("caf_rsa"), faq("ft_inscription"), {"event": "user", "parse_data": {"intent": {"name": "greet"}}}]
    events.append(faq("caf_dtr"))
    assert themes.recent_themes(events) == [themes.CAF, themes.FRANCE_TRAVAIL]
