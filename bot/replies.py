"""French short replies residents type: yes / no, a menu number ("le 2", "deux"), "autres jours".

One home for these words (booking forms, the privacy confirmation, the offers' yes and no): compared after
``bot.text.reply_form`` (``normalize``: lower case, no accents, punctuation as spaces; a reply in Arabic script
keeps its folded Arabic letters, which ``normalize`` would drop).
"""

from __future__ import annotations

import re

from bot.text import normalize, reply_form

# Plain agreement and refusal, understood by every question that expects a yes or a no.
PLAIN_YES = frozenset(
    {
        "oui",
        "ouais",
        "ouai",
        "ok",
        "okay",
        "d accord",
        "dac",
        "yes",
        "o",
        "confirme",
        "je confirme",
        "oui merci",
        "oui svp",
        "oui stp",
    }
)
# The same in the residents' other languages (issue 23): the words the translated questions ask for.
OTHER_YES = frozenset({"yes please", "si", "sim", "evet", "da", "wah", "iyeh"})
OTHER_NO = frozenset({"nao", "hayir", "nu"})
# Arabic: in Arabic script (as bot.text.fold_arabic writes it: no hamza on the alef) and Darija in Latin letters.
# "la" is Darija's no; the French "là" is not (``_reply``).
ARABIC_YES = frozenset(
    {"نعم", "ايه", "ايوه", "ايوا", "اه", "واخا", "اكيد", "موافق", "نعم شكرا", "ايه عافاك", "واخا عافاك", "نعم من فضلك"}
    | {"iyeh", "iyah", "iyeh 3afak", "eyh", "ih", "wakha", "wakha 3afak", "naam", "na3am", "wah", "wah 3afak"}
)
ARABIC_NO = frozenset(
    {"لا", "لا لا", "لالا", "لا شكرا", "لا عافاك", "لا ماشي دابا", "لا شكرا بزاف", "لا ما بغيتش"}
    | {"la", "laa", "lla", "la la", "la choukran", "la shukran", "la chokran", "la merci", "la 3afak", "la bghitch"}
)
OTHER_YES = OTHER_YES | ARABIC_YES
OTHER_NO = OTHER_NO | ARABIC_NO
PLAIN_YES = PLAIN_YES | OTHER_YES
PLAIN_NO = frozenset({"non", "n", "no", "non merci"}) | OTHER_NO

# A booking question also takes looser agreement ("ça marche", "parfait") and "un autre" as a no.
YES = PLAIN_YES | {
    "oki",
    "daccord",
    "c est bon",
    "cest bon",
    "ca marche",
    "parfait",
    "vas y",
    "go",
    "bien sur",
    "exact",
    "valide",
    "je valide",
    "super",
    "top",
    "oui c est bon",
}
NO = PLAIN_NO | {"nan", "pas ca", "pas celui la", "autre", "un autre", "non pas ca"}

NUMBER_WORDS = {
    "un": 1,
    "une": 1,
    "premier": 1,
    "premiere": 1,
    "deux": 2,
    "deuxieme": 2,
    "second": 2,
    "seconde": 2,
    "trois": 3,
    "troisieme": 3,
    "quatre": 4,
    "quatrieme": 4,
    "cinq": 5,
    "six": 6,
    "sept": 7,
    "huit": 8,
}
_NUMBER = re.compile(
    r"^(?:(?:le|la|n|no|num|numero|choix|option|creneau|rep|reponse)\s+)*(\d{1,2})"
    r"(?:\s+(?:svp|stp|merci|s il vous plait|s il te plait|please|autres? jours?"
    r"|autres? dates?))*$"
)
_OTHER_DAYS = re.compile(
    r"^(d )?(autres?|un autre|une autre) (jours?|dates?|creneaux?|moments?)"
    r"( svp| stp| merci)?$"
)


def parse_choice(text: str) -> int | None:
    """A menu number from ``"1"``, ``"le 2"``, ``"n°3"``, ``"deux"``; None otherwise."""
    norm = normalize(text)
    match = _NUMBER.match(norm)
    if match:
        return int(match.group(1))
    return NUMBER_WORDS.get(re.sub(r"^(le|la) |\s+(svp|stp|merci)$", "", norm))


def asks_other_days(text: str) -> bool:
    """Whether the reply asks for other days (same as the last menu number)."""
    return bool(_OTHER_DAYS.match(normalize(text)))


def reply_words(text: str) -> str:
    """``bot.text.reply_form``, except that the French "là" is not Darija's "la" (no): it reads as nothing."""
    if text.strip().lower().startswith("là"):
        return ""
    return reply_form(text)


def yes_or_no(text: str) -> bool | None:
    """True for a yes ("oui", "oui c'est ça", "نعم", "iyeh"), False for a no ("لا", "la"), None otherwise."""
    norm = reply_words(text)
    if norm in YES or norm.startswith("oui "):
        return True
    if norm in NO or norm.startswith("non "):
        return False
    return None
