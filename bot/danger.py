"""Danger detector: finds life-threatening situations in SMS-style French before any other understanding.

Plain Python (no rasa). The text is normalised (lower case, no accents, punctuation -> spaces), then
matched against ordered, tolerant regexes. Order matters: a threat by someone else ("il va me tuer")
is violence, not suicide; a child at risk goes to 119 before generic violence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.text import normalize

SUICIDE = "suicide"
MEDICAL = "medical"
CHILD = "child"
VIOLENCE = "violence"
SHELTER = "shelter"

KINDS: tuple[str, ...] = (SUICIDE, MEDICAL, CHILD, VIOLENCE, SHELTER)

# Emergency numbers given first for each kind (kb-facts.md section 1).
NUMBERS: dict[str, tuple[str, ...]] = {
    SUICIDE: ("3114", "15"),
    MEDICAL: ("15", "112"),
    CHILD: ("119", "17"),
    VIOLENCE: ("3919", "17", "114"),
    SHELTER: ("115",),
}

_ME_KILL = r"(me|m)\s*(tuer|tue|tues|tuee|tu)\b"
_INTENT_VERB = (
    r"(j?(veux|veu|veus|vx|ve|vais|vai|vas)|voudrais|voulais|voudrai|envie\s+de|envie\s+d|envi\s+de"
    r"|pense\s+a|pense\s+de|penser\s+a"
    r"|besoin\s+de|essaye\s+de|essayer\s+de|essaie\s+de|tente\s+de|aller|peux\s+plus\s+que|prefere)"
)
_THIRD = (
    r"(il|elle|ils|elles|on|mon\s+(mari|copain|conjoint|ex|pere|frere|compagnon)"
    r"|ma\s+(femme|copine|mere))"
)
_ADMIN = (
    r"(radiation|radier|suspension|suspendre|supprimer|suppression|couper|coupure|sanction|penalite"
    r"|poursuite|huissier|amende|majoration|controle|retenue|recouvrement|me\s+radier|radie|expulsion|expulser"
    r"|plainte|porter\s+plainte|procedure|proces|tribunal|licenciement|licencier|virer)"
)
_KIDS = (
    r"(enfant|enfants|gosse|gosses|fils|fille|filles|bebe|petit|petite|petits|neveu|niece|ado"
    r"|gamin|gamins)"
)

_PATTERNS: dict[str, tuple[str, ...]] = {
    # Threats by someone else: checked first so that "il va me tuer" is not read as suicide.
    "threat": (
        _THIRD
        + r"\s+(va|vas|veut|veux|vont|veulent|menace\s+de|a\s+menace\s+de|voulait|allait)\s+"
        + _ME_KILL,
        r"\bmenace(s)?\s+de\s+mort\b",
    ),
    SUICIDE: (
        r"\bsu[iy]?[cs]{1,2}[iy]?d",  # suicide, suicider, suicid, suiside, sucide, suicidaire
        r"\b(veut|va|voudrait|parle\s+de|pense\s+a)\s+se\s+(tuer|tue|suicider)\b",
        r"\b" + _INTENT_VERB + r"\s+" + _ME_KILL,
        r"\b(en|d\s+en)\s+finir\b(?!\s+avec\s+(le|ce|ces|les|mon|ma|mes|cette|la\s+(caf|demarche|procedure)|l)\b)",
        r"\b(plus|pas|aucune|aucun|perdu)\s+(d\s+)?envie\s+de\s+vivre\b",
        r"\b(envie|veux|voudrais|vais)\s+(de\s+)?mourir\b(?!\s+de\s+(rire|faim|froid|honte|fatigue|ennui|chaud))",
        r"\bmarre\s+de\s+(la\s+)?vivre\b",
        r"\bmarre\s+de\s+la\s+vie\b",
        r"\bmettre\s+fin\s+a\s+(mes\s+jours|ma\s+vie)\b",
        r"\bme\s+(pendre|jeter\s+(sous|du|de\s+la|par|dans))\b",
        r"\bsauter\s+(du|par\s+la|de\s+la)\s+(pont|fenetre|balcon|toit)",
        r"\b(ma\s+vie\s+n\s+a\s+plus\s+de\s+sens|plus\s+de\s+raison\s+de\s+vivre)\b",
        r"\bdisparaitre\s+pour\s+toujours\b",
    ),
    MEDICAL: (
        r"\bmalaise\b",
        r"\b(respire|respir|respirer|respirez)\s+(plus|pas|mal)\b",
        r"\b(arrive|arrivons)\s+plus\s+a\s+respirer\b",
        r"\bcrise\s+(cardiaque|d\s+epilepsie|d\s+asthme)\b",
        r"\barret\s+cardiaque\b",
        r"\bavc\b",
        r"\b(douleur|douleurs|mal)\s+(a\s+la|dans\s+la|de)\s+poitrine\b",
        r"\bdouleur\w*\s+au\s+coeur\b",
        r"\binconscient",
        r"\b(perd|perdu|perdre)\s+connaissance\b",
        r"\bevanoui",
        r"\bs\s+est\s+effondre",
        r"\bse\s+reveille\s+plus\b",
        r"\b(saigne|saigner)\s+(beaucoup|enormement|bcp|trop)\b",
        r"\bhemorragie\b",
        r"\boverdose\b",
        r"\bconvuls",
        r"\b(s|m)\s+etouffe\b",
        r"\burgence\s+(medicale|vitale)\b",
        r"\b(appeler|appelle)\s+(le\s+)?samu\b",
    ),
    CHILD: (
        r"\b" + _KIDS + r"\s+(est\s+|sont\s+)?en\s+danger\b",
        r"\b" + _KIDS + r"\s+((est|sont|etait|a\s+ete|ont\s+ete)\s+)?maltrait",
        r"\bmaltrait\w*\s+(sur\s+|d\s+|de\s+)?(un\s+|une\s+|les\s+|mes\s+|mon\s+|ma\s+)?" + _KIDS,
        r"\b(frappe|frappent|bat|battent|tape|tapent|battu|battue|secoue|brule|viole)\s+(les|mes|mon|ma|son|sa|ses"
        r"|le|la|un|une|notre|nos)\s+" + _KIDS,
        r"\b" + _KIDS + r"\b.{0,30}\b(se\s+fait|se\s+font)\s+(frapper|battre|taper|violer|toucher)\b",
        r"\b(attouchement|inceste|pedophil)",
    ),
    VIOLENCE: (
        r"(?<!je\s)\b(me|m)\s*(frappe|frappes|frappent|frappait|frappaient|tape|tapent|tapait|tabasse|tabassait|bat|battent"
        r"|battait|cogne|cognait|etrangle|etranglait|viole|violait|brutalise)\b(?!\s+sur\s+les\s+nerfs)",
        r"\bm\s+a\s+(frappe|frappee|tape|tapee|battu|battue|tabasse|tabassee|cogne|cognee|etrangle|etranglee"
        r"|viole|violee|pousse|poussee)\b",
        r"\b(suis|ete|etre)\s+(frappe|frappee|battu|battue|tabasse|tabassee|violee|viole|agresse|agressee)\b",
        r"\bviolen(ce|ces|t|te|ts|tes)\b",
        r"\b(on|il|elle|ils|elles|me|m)\s+(me\s+|m\s+)?menac(e|ent|ait|aient)\b"
        r"(?!\s+(de|d)\s+" + _ADMIN + r")",
        r"\bm\s+a\s+menace(e)?\b(?!\s+(de|d)\s+" + _ADMIN + r")",
        r"\bpeur\s+de\s+(mon|ma)\s+(mari|conjoint|copain|compagnon|ex|femme|copine|compagne)\b",
        r"\b(viol|agression|agresse|agressee|harcele|harcelee)\b",
        r"\benferme(e)?\s+(a\s+la\s+maison|chez\s+moi|dans)\b",
    ),
    SHELTER: (
        r"\b(dors|dormir|dormi|dormirai|dort|dormons|dormez|dormira|passer\s+la\s+nuit)\s+(dehors|dans\s+la\s+rue"
        r"|a\s+la\s+rue|dans\s+ma\s+voiture|dans\s+la\s+voiture|dans\s+une\s+voiture|a\s+la\s+gare)\b",
        r"\b(suis|sommes|est|etre|retrouve|retrouver|retrouvee|mis|mise|mets|jete|jetee|jetes|serai|serons)\s+"
        r"(a|dans)\s+la\s+rue\b(?!\s+(de|du|des|d|saint|st)\b)",
        r"\ba\s+la\s+rue\s+(ce\s+soir|cette\s+nuit|aujourd\s+hui|demain|maintenant)\b",
        r"\b(nulle|nul|null|aucune)\s+part\s+(ou|pour)\s+dormir\b",
        r"\b(nulle|nul|null)\s+part\s+ou\s+(aller|loger|me\s+loger)\b",
        r"\b(pas|plus|aucun)\s+(d\s+)?(endroit|logement|toit|hebergement|ou)\s+(pour\s+|ou\s+)?"
        r"(dormir|ce\s+soir|cette\s+nuit)\b",
        r"\bou\s+dormir\s+(ce\s+soir|cette\s+nuit)\b",
        r"\b(sans\s+abri|sans\s+domicile|sdf)\b",
        r"\bhebergement\s+d\s+urgence\b",
        r"\b(mis|mise|mettre|jete|jetee)\s+dehors\b",
        r"\ba\s+la\s+porte\s+de\s+chez\s+(moi|nous)\b",
        r"\b(le|au|appele|appeler|appelle|appeller|appel)\s+115\b",
    ),
}

_COMPILED: dict[str, tuple[re.Pattern[str], ...]] = {}


def _compiled() -> dict[str, tuple[re.Pattern[str], ...]]:
    """Compile the patterns once, on first use (no work at import time)."""
    if not _COMPILED:
        for kind, patterns in _PATTERNS.items():
            _COMPILED[kind] = tuple(re.compile(p) for p in patterns)
    return _COMPILED


@dataclass(frozen=True)
class DangerMatch:
    """A detected danger: its kind, the intent name, and the pattern that matched."""

    kind: str
    pattern: str

    @property
    def intent(self) -> str:
        """Rasa intent name for this kind, e.g. ``danger_suicide``."""
        return intent_for(self.kind)


def intent_for(kind: str) -> str:
    """Intent name of a danger kind."""
    return f"danger_{kind}"


def detect(text: str | None) -> DangerMatch | None:
    """Return the most urgent danger found in ``text``, or ``None``."""
    if not text:
        return None
    norm = normalize(text)
    if not norm:
        return None
    compiled = _compiled()
    for group in ("threat", SUICIDE, MEDICAL, CHILD, VIOLENCE, SHELTER):
        for pattern in compiled[group]:
            if pattern.search(norm):
                kind = VIOLENCE if group == "threat" else group
                return DangerMatch(kind=kind, pattern=pattern.pattern)
    return None


def detect_kind(text: str | None) -> str | None:
    """Kind of the most urgent danger found in ``text`` (see ``KINDS``), or ``None``."""
    match = detect(text)
    return match.kind if match else None
