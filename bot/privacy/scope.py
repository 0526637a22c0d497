"""Is a privacy request about the data WE keep? ("supprimer mes données CAF" is about the CAF's data.)

Used by the NLU guard (components/privacy_guard.py) after the classifier: a message classified as a privacy
request that names another organisation, or that asks to update data rather than erase it, is not one.
"""

from __future__ import annotations

import re

from bot.text import normalize

_OTHER_ORGANISATIONS = re.compile(
    r"\b(caf|cafs|msa|france ?travail|ft|pole ?emploi|ameli|cpam|secu|securite sociale|assurance maladie|"
    r"impots?|impot gouv|finances publiques|urssaf|anef|prefecture|ants|banque|edf|engie|gdf|mairie|"
    r"carsat|retraite|mutuelle|employeur|bailleur|hlm|opac|ofii|crous|apl|rsa|chomage|dossier|compte en ligne|"
    r"espace personnel|site internet|site de|application|appli|france ?connect|la poste|operateur|orange|sfr|"
    r"free|bouygues|facebook|whatsapp|google)\b"
)
_UPDATE = re.compile(
    r"\b(mettre a jour|mise a jour|maj|modifier|modif|changer|changement|corriger|actualiser|actualisation|"
    r"declarer|declaration|renseigner|remplir|saisir|ajouter|transmettre|envoyer mes)\b"
)
_ERASE = re.compile(r"\b(eff?ac|suppr|sup+rim|oubli|detrui|retir|enlev|vider|videz|vide )")


def names_other_organisation(text: str) -> bool:
    """Whether the message is about another organisation's data or account."""
    return bool(_OTHER_ORGANISATIONS.search(normalize(text)))


def is_erase_request_for_us(text: str) -> bool:
    """An erasure verb, about us: no other organisation named, no update asked."""
    norm = normalize(text)
    return bool(_ERASE.search(norm + " ")) and not names_other_organisation(norm) and not _UPDATE.search(norm)


def is_info_request_for_us(text: str) -> bool:
    """A question about what we keep: no other organisation named, no update asked."""
    norm = normalize(text)
    return not names_other_organisation(norm) and not _UPDATE.search(norm)
