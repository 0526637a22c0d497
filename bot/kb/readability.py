"""Plain French checks of the knowledge base: administrative words explained on first use, dated amounts.

The glossary lists words residents do not know. The first time one appears in an answer (then its PLUS steps) it
must be explained right away: "le récépissé, le papier provisoire...", "FSL (fonds de solidarité...)",
"ajournement (refus pour un temps...)". An acronym in parentheses right after the term is skipped.

An amount in euros goes stale: each one must carry its year in the same sentence ("25 € (tarif 2026)") and the
entry a review date, so that ``make kb-review`` brings it back every January.
"""

from __future__ import annotations

import re
import unicodedata

GLOSSARY: tuple[str, ...] = (
    "attestation de prolongation d'instruction",
    "ajournement",
    "irrecevabilité",
    "récépissé",
    "commission de recours amiable",
    "reconnaissance de dette",
    "FSL",
    "échéancier",
    "régie",
    "trop-perçu",
    "commandement de payer",
    "CCAPEX",
    "ADIL",
    "DALO",
    "MDPH",
    "AAH",
    "CMI",
    "ASF",
    "ARIPA",
    "ASPA",
    "PUMa",
    "domiciliation",
    "CCAS",
    "aide juridictionnelle",
    "surendettement",
    "médecin traitant",
    "indemnités journalières",
    "Carsat",
    # Added with the December 2026 review.
    "RQTH",
    "ASS",
    "AER",
    "QCM",
    "apostillés",
    "exécutoire",
    "bon de visite",
    "PAJE",
    "CMG",
    "échelonnement",
    "procuration",
    "capital décès",
    "pension de réversion",
    "APA",
    "quotient familial",
    "prélèvement à la source",
    "laissez-passer",
)
# What may follow a term to explain it: parentheses, an apposition ("X, le papier qui..."), a colon,
# "c'est", "qui", "pour"; "l'ASS ou l'AER (aides de...)" explains both acronyms at once.
_GLOSS = re.compile(
    r"^(\s*\([A-Z]{2,6}\))?(\s+(ou|et)\s+(l'|la |le )?[A-Za-z]{2,6})?"
    r"\s*(\(|,\s*(c'est|le |la |l'|les |un |une |des |qui |soit )|:\s|—|c'est|est |qui |pour )"
)
# "25 €", "1,50 €", "86 euros": an amount of money stated to residents.
_AMOUNT = re.compile(r"\d[\d  ]*(?:[,.]\d+)?\s?(?:€|euros?\b)", re.IGNORECASE)
_YEAR = re.compile(r"\b20\d\d\b")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÀ-Ý0-9«])")


def fold(text: str) -> str:
    """Lower case without accents (for matching words in SMS-like text)."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def unglossed(text: str, terms: tuple[str, ...] = GLOSSARY) -> list[str]:
    """Glossary terms whose first use in ``text`` is not explained right away."""
    folded = fold(text)
    missing = []
    for term in terms:
        word = fold(term)
        match = re.search(rf"(?<![a-z]){re.escape(word)}(?![a-z])", folded)
        if match is None:
            continue
        # Folding keeps lengths for French letters; fall back to the folded tail when it does not.
        tail = text[match.end() :] if len(folded) == len(text) else folded[match.end() :]
        if not _GLOSS.match(tail):
            missing.append(term)
    return missing


def sentences(text: str) -> list[str]:
    """Sentences of a short text (split after . ! ? before a capital or a digit)."""
    return [s for s in _SENTENCE_END.split(text.strip()) if s]


def undated_amounts(text: str) -> list[str]:
    """Amounts in euros stated in a sentence that gives no year ("tarif 2026")."""
    found: list[str] = []
    for sentence in sentences(text):
        if _YEAR.search(sentence):
            continue
        found.extend(m.group(0).strip() for m in _AMOUNT.finditer(sentence))
    return found


def has_amount(text: str) -> bool:
    """True when the text states an amount in euros."""
    return _AMOUNT.search(text) is not None
