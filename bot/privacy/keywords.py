"""Deterministic privacy keywords: EFFACER, MES DONNEES, and the OUI / NON of the confirmation.

Only whole messages match (after normalisation): a question that merely contains "données" ("mettre à jour
mes données CAF") is never an erasure request here. Natural phrasings go through the NLU intent
``privacy_erase``, which asks the same confirmation.
"""

from __future__ import annotations

import hmac
import re
from typing import Literal

from bot.replies import PLAIN_NO, PLAIN_YES, reply_words
from bot.text import normalize

Keyword = Literal["erase", "info"]
Answer = Literal["yes", "no", "no_code", "wrong_code"]
CODE_DIGITS = 4

_ERASE = {
    "effacer",
    "efface",
    "effacez",
    "effacer tout",
    "effacez tout",
    "tout effacer",
    "effacer mes donnees",
    "effacez mes donnees",
    "effacer mes messages",
    "effacez mes messages",
    "supprimer mes donnees",
    "supprimez mes donnees",
    "supprimer mes messages",
    "supprimez mes messages",
    "suppression de mes donnees",
    "effacement",
    "efface tout",
    "effasser",
    "efacer",
    "effacer svp",
    "effacer stp",
    "effacer merci",
    "oubliez moi",
    "rgpd effacer",
    "droit a l oubli",
}
_INFO = {
    "mes donnees",
    "mes donnes",
    "mes donne",
    "donnees personnelles",
    "mes donnees personnelles",
    "rgpd",
    "vie privee",
    "confidentialite",
    "mes infos",
    "mes informations",
    "info donnees",
}
# The same requests in the residents' other languages (issue 23); EFFACER and MES DONNEES work in every language.
_ERASE |= {"delete my data", "erase my data", "borrar mis datos", "borre mis datos", "apagar os meus dados"}
_ERASE |= {"apaguem os meus dados", "verilerimi sil", "verilerimi silin", "stergeti datele", "sterge datele mele"}
_INFO |= {"my data", "mis datos", "meus dados", "os meus dados", "verilerim", "datele mele"}
# The plain yes / no of every question (bot/replies.py), plus the words and buttons of this one.
_YES = PLAIN_YES | {"oui effacer", "oui tout effacer", "oui effacez", "effacer", "1", "oui oui"}
_NO = PLAIN_NO | {"non garder", "garder", "annuler", "annule", "pas maintenant", "2"}


def classify(text: str) -> Keyword | None:
    """``erase`` for EFFACER and its short forms (and "EFFACER <code>" once the question expired: asked anew),
    ``info`` for MES DONNEES, else None."""
    norm = normalize(text)
    if norm in _ERASE or re.fullmatch(rf"effacer \d{{{CODE_DIGITS}}}", norm):  # a code whose question expired
        return "erase"
    if norm in _INFO:
        return "info"
    return None


_WITH_CODE = re.compile(rf"^(?:(?:oui|effacer|efface|effacez|ok|je confirme|confirme|code)\s+)*(\d{{{CODE_DIGITS}}})$")


def answer(text: str, code: str) -> Answer | None:
    """The answer to the erasure confirmation whose one-time code is ``code``: ``yes`` only with the code
    ("EFFACER 4821", "oui 4821", "4821"), ``wrong_code``, ``no_code`` for a bare OUI, ``no``, or None (a longer
    message such as "oui mais..." is not an answer)."""
    norm = reply_words(text)
    found = _WITH_CODE.match(norm)
    if found:
        return "yes" if code and hmac.compare_digest(found.group(1), code) else "wrong_code"
    if norm in _YES:
        return "no_code"
    if norm in _NO:
        return "no"
    return None
