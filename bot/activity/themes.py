"""Themes of the activity report, derived from knowledge-base topics (``faq/<topic>``) by prefix."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

CAF = "CAF"
FRANCE_TRAVAIL = "France Travail"
SEJOUR = "Séjour / naturalisation"
ENERGIE = "Énergie / eau"
SANTE = "Santé"
IMPOTS = "Impôts"
LOGEMENT = "Logement"
ETAT_CIVIL = "État civil / identité"
SOCIAL = "Aides sociales, handicap, retraite"
JUSTICE = "Justice / amendes"
FAMILLE = "Famille / enfants"
TRAVAIL = "Travail"
TRANSPORTS = "Transports / véhicule"
BUDGET = "Budget, banque, téléphone"
AUTRE = "Autres démarches"

THEMES: tuple[str, ...] = (
    CAF,
    FRANCE_TRAVAIL,
    SEJOUR,
    ENERGIE,
    SANTE,
    IMPOTS,
    LOGEMENT,
    ETAT_CIVIL,
    SOCIAL,
    JUSTICE,
    FAMILLE,
    TRAVAIL,
    TRANSPORTS,
    BUDGET,
    AUTRE,
)

# Exact topics first (they beat prefixes), then prefixes; anything else is "Autres démarches".
TOPICS: dict[str, str] = {
    "caf_logement": LOGEMENT,
    "treve_hivernale": LOGEMENT,
    "facture_impayee": ENERGIE,
    "cheque_energie": ENERGIE,
    "eau_lyon": ENERGIE,
    "carte_vitale": SANTE,
    "css": SANTE,
    "ame": SANTE,
    "acte_naissance": ETAT_CIVIL,
    "dalo": LOGEMENT,
    "loyer_impaye": LOGEMENT,
    "certificat_nationalite": SEJOUR,
    "demarchage_energie": ENERGIE,
    "medecin_traitant": SANTE,
    "medecin_garde": SANTE,
    "puma_ouverture": SANTE,
    "arret_maladie": SANTE,
    "amende_antai": JUSTICE,
    "aide_juridique": JUSTICE,
    "handicap_mdph": SOCIAL,
    "parent_isole": SOCIAL,
    "retraite": SOCIAL,
    "surendettement": SOCIAL,
    "droit_au_compte": SOCIAL,
    "domiciliation": SOCIAL,
    "aide_urgence": SOCIAL,
    "jeunes_mission_locale": SOCIAL,
    "naissance_grossesse": FAMILLE,
    "garde_enfant": FAMILLE,
    "bourses_scolaires": FAMILLE,
    "personnes_agees": SOCIAL,
    "deces_proche": ETAT_CIVIL,
    "permis_echange": TRANSPORTS,
    "carte_grise": TRANSPORTS,
    "frais_bancaires": BUDGET,
    "echelonnement_factures": BUDGET,
}
PREFIXES: tuple[tuple[str, str], ...] = (
    ("caf_", CAF),
    ("ft_", FRANCE_TRAVAIL),
    ("natu_", SEJOUR),
    ("titre_", SEJOUR),
    ("ameli_", SANTE),
    ("impots_", IMPOTS),
    ("cni_", ETAT_CIVIL),
    ("passeport_", ETAT_CIVIL),
    ("logement_", LOGEMENT),
    ("energie_", ENERGIE),
    ("sejour_", SEJOUR),
    ("elections_", ETAT_CIVIL),
    ("travail_", TRAVAIL),
    ("sncf_", TRANSPORTS),
    ("telecom_", BUDGET),
)

# Booking motives (config/motives.yml) on the same themes, for the queue's "theme of the last questions".
MOTIVE_THEMES: dict[str, str] = {
    "caf": CAF,
    "france_travail": FRANCE_TRAVAIL,
    "naturalisation": SEJOUR,
    "titre_sejour": SEJOUR,
    "energie_eau": ENERGIE,
}


def topic_of(retrieval_intent: str) -> str:
    """``"faq/caf_rsa"`` or ``"utter_faq/caf_rsa"`` -> ``"caf_rsa"`` (empty when not a FAQ answer)."""
    head, _, topic = retrieval_intent.partition("/")
    return topic if head in ("faq", "utter_faq") else ""


def theme_of(topic: str) -> str:
    """The report theme of a knowledge-base topic."""
    if topic in TOPICS:
        return TOPICS[topic]
    for prefix, theme in PREFIXES:
        if topic.startswith(prefix):
            return theme
    return AUTRE


def topic_of_user_event(event: Mapping[str, Any]) -> str:
    """The FAQ topic a user message was understood as, from its parse data (empty when none)."""
    parse = event.get("parse_data") or {}
    if ((parse.get("intent") or {}).get("name")) != "faq":
        return ""
    selectors = parse.get("response_selector") or {}
    for name in ("faq", "default"):
        response = (selectors.get(name) or {}).get("response") or {}
        topic = topic_of(str(response.get("intent_response_key") or response.get("utter_action") or ""))
        if topic:
            return topic
    return ""


def recent_themes(events: Iterable[Mapping[str, Any]], limit: int = 3) -> list[str]:
    """Themes of the resident's last FAQ questions, most recent first, without repeats."""
    themes: list[str] = []
    for event in reversed(list(events)):
        if event.get("event") != "user":
            continue
        topic = topic_of_user_event(event)
        theme = theme_of(topic) if topic else ""
        if theme and theme not in themes:
            themes.append(theme)
        if len(themes) >= limit:
            break
    return themes
