"""A resident's plain yes or no ("oui", "ok je veux bien", "svp", "non merci"), read without a classifier.

Short replies are where a classifier is least sure, and a yes to an offer must take it every time: the
phrases below get ``affirm`` or ``deny`` for sure (components/commands.py). Anything else is left to the
classifier, which knows many more spellings (data/nlu/basics.yml).
"""

from __future__ import annotations

from bot.replies import ARABIC_NO, ARABIC_YES, reply_words

_YES_HEADS = ("oui", "ouais", "ouai", "ok", "okay", "d accord", "daccord", "dac", "yes", "volontiers")
_YES_TAILS = ("", "svp", "stp", "s il vous plait", "merci", "je veux bien", "volontiers", "avec plaisir", "allez y")
YES: frozenset[str] = frozenset(
    {f"{head} {tail}".strip() for head in _YES_HEADS for tail in _YES_TAILS} - {"ok merci", "okay merci"}
    | {
        "je veux bien",
        "je veux bien svp",
        "je veux bien merci",
        "oui je veux",
        "svp",
        "stp",
        "s il vous plait",
        "oui oui",
        "allez y",
        "vas y",
        "avec plaisir",
        "pourquoi pas",
        "oui pourquoi pas",
        "ok pourquoi pas",
        "ca marche",
        "ok ca marche",
        "oui ca marche",
        "ok je veux bien svp",
        "oui je veux bien svp",
    }
    | ARABIC_YES  # Arabic script and Darija in Latin letters (issue 23): read by reply_words
)
NO: frozenset[str] = frozenset(
    {
        "non",
        "nan",
        "no",
        "non merci",
        "nan merci",
        "non ca ira",
        "ca ira merci",
        "non pas besoin",
        "pas besoin",
        "pas besoin merci",
        "non c est bon",
        "non c bon",
        "non pas maintenant",
        "pas maintenant",
        "non merci c est gentil",
        "non je ne veux pas",
        "non je veux pas",
    }
    | ARABIC_NO
)


# Intents a plain yes or no never replaces: "+ svp" asks for the steps.
KEEPS = frozenset({"more"})


def yes_or_no(text: str | None) -> bool | None:
    """True for a plain yes, False for a plain no, None for anything else."""
    norm = reply_words(text or "")
    if norm in YES:
        return True
    if norm in NO:
        return False
    return None
