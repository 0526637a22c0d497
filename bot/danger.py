"""Danger detector: finds life-threatening situations in SMS-style French, and in the residents' other
languages (``bot.danger_phrases``: English, Spanish, Portuguese, Turkish, Romanian, Arabic script and Darija in
Latin letters), before any other understanding.

Plain Python (no rasa). The text is normalised (lower case, no accents, punctuation -> spaces), then
matched against ordered, tolerant regexes: the French ones first, then the other languages'. Order matters:
a threat by someone else ("il va me tuer") is violence, not suicide; a child at risk goes to 119 before
generic violence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.danger_phrases import LATIN, fold_latin
from bot.danger_phrases_arabic import ARABIC, fold_arabic, has_arabic
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
    r"(j?(veux|veu|veus|vx|ve|vais|vai|vas|v)|voudrais|voulais|voudrai|envie\s+de|envie\s+d|envi\s+de"
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
        _THIRD + r"\s+(va|vas|veut|veux|vont|veulent|menace\s+de|a\s+menace\s+de|voulait|allait)\s+" + _ME_KILL,
        r"\bmenace(s)?\s+de\s+mort\b",
    ),
    SUICIDE: (
        r"\bsu[iy]?[cs]{1,2}[iy]?d",  # suicide, suicider, suicid, suiside, sucide, suicidaire
        r"\b(veut|va|voudrait|parle\s+de|pense\s+a)\s+se\s+(tuer|tue|suicider)\b",
        r"\b" + _INTENT_VERB + r"\s+" + _ME_KILL,
        r"\b(en|d\s+en)\s+finir\b(?!\s+avec\s+(le|ce|ces|les|mon|ma|mes|cette|la\s+(caf|demarche|procedure)|l)\b)",
        r"\b(plus|pas|aucune|aucun|perdu)\s+(d\s+)?envie\s+de\s+vivre\b",
        r"\b(envie|envi|j?veux|j?veu|j?ve|vx|voudrais|j?vais|j?vai)\s+(de\s+|d\s+)?mour(ir|ire|rir)\b"
        r"(?!\s+de\s+(rire|faim|froid|honte|fatigue|ennui|chaud))",
        r"\b(ne\s+)?(j?veux|j?veu|vx|j?ve|peux|peu|pe)\s+plus\s+vivre\b",
        r"\b(plus|pas)\s+la\s+force\s+de\s+vivre\b",
        r"\bme\s+(foutre\s+en\s+l\s+air|flinguer|tirer\s+une\s+balle|ouvrir\s+les\s+veines)\b",
        r"\b(j?veux|envie\s+de|mieux\s+vaut\s+que\s+je)\s+dispar(aitre|aisse)\b(?!\s+(des|du|de|d)\b)",
        r"\bmarre\s+de\s+(la\s+)?vivre\b",
        r"\bmarre\s+de\s+la\s+vie\b",
        r"\bmettre\s+fin\s+a\s+(mes\s+jours|ma\s+vie)\b",
        r"\bme\s+(pendre|jeter\s+(sous|du|de\s+la|par|dans))\b",
        r"\bsauter\s+(du|par\s+la|de\s+la)\s+(pont|fenetre|balcon|toit)",
        r"\b(ma\s+vie\s+n\s+a\s+plus\s+de\s+sens|plus\s+de\s+raison\s+de\s+vivre)\b",
        r"\bdisparaitre\s+pour\s+toujours\b",
    ),
    MEDICAL: (
        r"\bmalaise\b(?!\s+(administratif|social|general|politique|dans\s+l\s+equipe))",
        r"\b(respire|respir|respirer|respirez)\s+(plus|plu|pas|pa|mal)\b",
        r"\b(bouge|reagit)\s+plus\b",
        r"\b(pris|avale)\s+(trop\s+de|tous\s+(mes|ses|les)|toute\s+la\s+boite\s+de)\s+(medicaments|medocs|cachets|pilules)",
        r"\b(arrive|arrivons)\s+plus\s+a\s+respirer\b",
        r"\bcrise\s+(cardi\w*|d\s+epilepsie|d\s+asthme)",
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
        r"(?<!je\s)\b(me|m)\s*(frap|frape|frapes|fraper|bas|frappe|frappes|frappent|frappait|frappaient|tape|tapent|tapait|tabasse|tabassait|bat|battent"
        r"|battait|cogne|cognait|etrangle|etranglait|viole|violait|brutalise)\b(?!\s+sur\s+les\s+nerfs)",
        r"\b(m\s+a|ma)\s+(frappe|frappee|frape|frapee|tape|tapee|battu|battue|batu|batue|tabasse|tabassee|cogne"
        r"|cognee|etrangle|etranglee|viole|violee|pousse|poussee|agresse|agressee)\b",
        r"\b(m\s+a|ma|me)\s+(mis|met|donne|donnait)\s+(une|des)\s+(claque|claques|gifle|gifles|coup|coups)\b",
        r"\bcoups?\s+de\s+(poing|pied|couteau|ceinture)\b",
        r"\b(me\s+fais|me\s+suis\s+fait|me\s+suis\s+faite|se\s+fait|se\s+font)\s+(frapper|fraper|battre|taper"
        r"|tabasser|agresser|violer|menacer|etrangler)\b",
        r"\b(suis|ete|etre)\s+(frappe|frappee|battu|battue|tabasse|tabassee|violee|viole|agresse|agressee)\b",
        r"\bviol[ae]n(ce|ces|t|te|ts|tes)\b",
        r"\b(on|il|elle|ils|elles|me|m)\s+(me\s+|m\s+)?menac(e|ent|ait|aient)\b"
        r"(?!\s+(de|d)\s+" + _ADMIN + r")",
        r"\b(m\s+a|ma)\s+menace(e)?\b(?!\s+(de|d)\s+" + _ADMIN + r")",  # never "m'a menacé de radiation"
        r"\bpeur\s+de\s+(mon|ma)\s+(mari|conjoint|copain|compagnon|ex|femme|copine|compagne)\b",
        r"\b(viol|agression|agresse|agressee|harcele|harcelee)\b",
        r"\benferme(e)?\s+(a\s+la\s+maison|chez\s+moi|dans)\b",
    ),
    SHELTER: (
        r"\b(dors|jdors|dor|dormir|dormi|dormirai|dort|dormons|dormez|dormira|passer\s+la\s+nuit)\s+(dehors|dehor"
        r"|dans\s+la\s+rue"
        r"|a\s+la\s+rue|dans\s+ma\s+voiture|dans\s+la\s+voiture|dans\s+une\s+voiture|a\s+la\s+gare)\b",
        r"\b(suis|jsuis|chui|chuis|sui|jsui|sommes|est|etre|retrouve|retrouver|retrouvee|mis|mise|mets|jete|jetee"
        r"|jetes|serai|serons)\s+"
        r"(a|dans)\s+la\s+rue\b(?!\s+(de|du|des|d|saint|st)\b)",
        r"\ba\s+la\s+rue\s+(ce\s+soir|cette\s+nuit|aujourd\s+hui|demain|maintenant)\b",
        r"\b(nulle|nul|null|aucune)\s+part\s+(ou|pour)\s+dormir\b",
        r"\b(nulle|nul|null)\s+part\s+ou\s+(aller|loger|me\s+loger)\b",
        r"\b(pas|plus|aucun)\s+(de\s+|d\s+)?(endroit|logement|toit|hebergement|ou)\s+(pour\s+|ou\s+)?"
        r"(dormir|ce\s+soir|cette\s+nuit)\b",
        r"\bou\s+dormir\s+(ce\s+soir|cette\s+nuit)\b",
        r"\b(sans\s+abri|sans\s+domicile|sdf)\b",
        r"\b(suis|jsuis|chui|sommes|on\s+est)\s+dehors\s+(avec|ce\s+soir|cette\s+nuit|sans|depuis)\b",
        r"\b(expulse|expulsee|expulses|expulsees)\b.{0,40}\b(dehors|a\s+la\s+rue|dormir)\b",
        r"\bhebergement\s+d\s+urgence\b",
        r"\b(mis|mise|mettre|jete|jetee)\s+dehors\b",
        r"\ba\s+la\s+porte\s+de\s+chez\s+(moi|nous)\b",
        r"\b(le|au|appele|appeler|appelle|appeller|appel)\s+115\b",
    ),
}

# A victim who says they are a minor goes to 119 (Allô enfance en danger).
_MINOR = re.compile(r"\b(j\s*ai|g)\s+([6-9]|1[0-7])\s+ans\b|\b(suis|jsuis)\s+mineur")

_COMPILED: dict[str, tuple[re.Pattern[str], ...]] = {}
# The other languages' phrases (bot/danger_phrases.py): language -> group -> patterns.
_COMPILED_OTHER: dict[str, dict[str, tuple[re.Pattern[str], ...]]] = {}
_GROUPS = ("threat", SUICIDE, MEDICAL, CHILD, VIOLENCE, SHELTER)


def _compiled() -> dict[str, tuple[re.Pattern[str], ...]]:
    """Compile the patterns once, on first use (no work at import time)."""
    if not _COMPILED:
        for language, groups in [*LATIN.items(), ("ar-script", ARABIC)]:
            _COMPILED_OTHER[language] = {g: tuple(re.compile(p) for p in groups.get(g, ())) for g in _GROUPS}
        for kind, patterns in _PATTERNS.items():
            _COMPILED[kind] = tuple(re.compile(p) for p in patterns)
    return _COMPILED


@dataclass(frozen=True)
class DangerMatch:
    """A detected danger: its kind, the intent name, and the pattern that matched."""

    kind: str
    pattern: str
    language: str = "fr"  # the language of the phrase that matched (French first; "ar" for Arabic script)

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
    if not norm and not has_arabic(text):
        return None
    compiled = _compiled()
    found = _first_kind(norm, compiled)
    if found is None:
        found = _first_kind_other(text)
    if found is None:
        return None
    if found[0] == VIOLENCE and found[2] == "fr" and _MINOR.search(norm):
        return DangerMatch(kind=CHILD, pattern=_MINOR.pattern)
    return DangerMatch(kind=found[0], pattern=found[1], language=found[2])


def _first_kind(norm: str, compiled: dict[str, tuple[re.Pattern[str], ...]]) -> tuple[str, str, str] | None:
    """The first French (kind, pattern, "fr") matching the normalised text, in urgency order."""
    for group in _GROUPS:
        for pattern in compiled[group]:
            if pattern.search(norm):
                return (VIOLENCE if group == "threat" else group), pattern.pattern, "fr"
    return None


def _first_kind_other(text: str) -> tuple[str, str, str] | None:
    """The first (kind, pattern, language) of the other languages, in urgency order across languages."""
    folded = {"ar-script": fold_arabic(text)} if has_arabic(text) else {}
    latin = fold_latin(text)
    for group in _GROUPS:
        for language, groups in _COMPILED_OTHER.items():
            target = folded.get(language, "") if language == "ar-script" else latin
            for pattern in groups[group] if target else ():
                if pattern.search(target):
                    kind = VIOLENCE if group == "threat" else group
                    return kind, pattern.pattern, "ar" if language == "ar-script" else language
    return None
