"""Short elliptical follow-ups ("comment je fais", "c'est où", "et le mardi ?", "pour mon mari aussi").

:func:`detect` reads a message without any context: it is a follow-up only when every word belongs to the
follow-up vocabulary below (small words, days, parts of the day, relatives, "comment", "où"...). A message
with any other word ("comment je fais pour la prime d'activité") is a full question and left to the
classifier: a change of topic always wins.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from bot.french_dates import WEEKDAYS_FR
from bot.text import normalize

MAX_WORDS = 10
MAX_WHERE_WORDS = 5
# "à demain", "bon dimanche", "à lundi matin": greetings, not questions about a day.
_GREETING_HEADS = ("a", "bon", "bonne")


class Kind(str, Enum):
    """What the follow-up asks about the previous answer."""

    HOW = "how"  # the steps of the topic
    WHERE = "where"  # the address of the counter
    DAY = "day"  # the opening hours on another day
    RELATIVE = "relative"  # the same topic for a relative


class Part(str, Enum):
    """A part of the day."""

    MORNING = "matin"
    AFTERNOON = "après-midi"


@dataclass(frozen=True)
class FollowUp:
    """A recognised follow-up."""

    kind: Kind
    weekday: int | None = None  # 0 = Monday (DAY)
    offset: int | None = None  # 0 today, 1 tomorrow (DAY)
    part: Part | None = None  # (DAY)
    relative: str | None = None  # "votre mari" (RELATIVE)
    first_person: bool = False  # "comment je fais" rather than "comment ça marche" (HOW)


FILLER = frozenset(
    "et pour le la les l du de des d aussi alors donc ok oui mais sinon svp stp merci ca c est ce ces quoi qu que "
    "on je j il elle ils elles moi lui a au aux en y mon ma mes son sa ses notre nos bien bon bah ben euh hein "
    "sil vous plait si s tu te t me m dans par avec meme pareil chose aussi ah oh ha cet cette un une "
    "non pardon plutot desole pr pour".split()
)
HOW = frozenset(
    "comment fais fait faire faut demande demander demarche demarches etape etapes dois doit doivent procedure "
    "marche inscrire inscris inscription suite apres ensuite procede prochaine peux peut dossier".split()
)
HOW_ANCHORS = frozenset("comment demarche etape etapes procedure suite ensuite".split())
WHERE = frozenset("ou adresse trouve situe se exactement ca endroit lieu".split())
WHERE_ANCHORS = frozenset({"ou", "adresse", "situe", "endroit"})
_BEFORE_WHERE = frozenset({"c", "est", "et", "ca", "alors", "donc", "mais", "svp", "bon", "trouve"})
DAY_WORDS = frozenset(
    "ouvert ouverts ouverte ferme fermes horaire horaires heure heures quelle quel matin aprem apres midi "
    "soir journee demain aujourd hui auj".split()
)
PARTS = {"matin": Part.MORNING, "aprem": Part.AFTERNOON, "apm": Part.AFTERNOON}
RELATIVES = {
    "mari": "votre mari",
    "femme": "votre femme",
    "epouse": "votre épouse",
    "epoux": "votre époux",
    "conjoint": "votre conjoint",
    "conjointe": "votre conjointe",
    "compagnon": "votre compagnon",
    "compagne": "votre compagne",
    "fils": "votre fils",
    "fille": "votre fille",
    "enfant": "votre enfant",
    "enfants": "vos enfants",
    "bebe": "votre bébé",
    "mere": "votre mère",
    "maman": "votre mère",
    "pere": "votre père",
    "papa": "votre père",
    "frere": "votre frère",
    "soeur": "votre sœur",
    "parents": "vos parents",
}
RELATIVE_WORDS = frozenset("droit droits avoir ont peut peuvent peux pareil aussi concerne".split())
_WEEKDAYS = {normalize(name): index for index, name in enumerate(WEEKDAYS_FR)}
_VOCABULARY = FILLER | HOW | WHERE | DAY_WORDS | RELATIVE_WORDS | set(RELATIVES) | set(_WEEKDAYS)


def _part(words: list[str]) -> Part | None:
    joined = " ".join(words)
    if "apres midi" in joined or any(PARTS.get(w) == Part.AFTERNOON for w in words):
        return Part.AFTERNOON
    return Part.MORNING if "matin" in words else None


def _asks_where(words: list[str]) -> bool:
    """ "c'est où", "où ça", "l'adresse": "ou" counts only where it means "where" ("oui ou non" does not)."""
    for index, word in enumerate(words):
        if word == "ou" and (index == 0 or words[index - 1] in _BEFORE_WHERE):
            return True
        if word in WHERE_ANCHORS - {"ou"}:
            return True
    return False


def detect(text: str | None) -> FollowUp | None:
    """The follow-up a short message is, or None (a full question, or not a follow-up at all)."""
    words = normalize(text or "").split()
    if not words or len(words) > MAX_WORDS or any(word not in _VOCABULARY for word in words):
        return None
    relative = next((RELATIVES[w] for w in words if w in RELATIVES), None)
    if relative is not None:
        return FollowUp(Kind.RELATIVE, relative=relative)
    weekday = next((_WEEKDAYS[w] for w in words if w in _WEEKDAYS), None)
    offset = 1 if "demain" in words else 0 if "aujourd" in words or "auj" in words else None
    part = _part(words)
    if weekday is not None or offset is not None or (part is not None and len(words) <= 4):
        if words[0] in _GREETING_HEADS:
            return None
        return FollowUp(Kind.DAY, weekday=weekday, offset=offset, part=part)
    if _asks_where(words) and len(words) <= MAX_WHERE_WORDS:
        return FollowUp(Kind.WHERE)
    if any(w in HOW_ANCHORS for w in words) or {"dois", "faire"} <= set(words) or {"faut", "faire"} <= set(words):
        return FollowUp(Kind.HOW, first_person=bool({"je", "j"} & set(words)))
    if "apres" in words and "midi" not in words:  # "et après ?"
        return FollowUp(Kind.HOW, first_person=bool({"je", "j"} & set(words)))
    return None


# Intents whose own action already answers a follow-up of that kind with the conversation's context: the
# classifier's choice is kept (action_site_hours reads the day, action_faq_more the last topic).
KEEPS: dict[Kind, frozenset[str]] = {
    Kind.DAY: frozenset({"ask_hours"}),
    Kind.WHERE: frozenset({"ask_address"}),
    Kind.HOW: frozenset({"more"}),
    Kind.RELATIVE: frozenset(),
}


def overrides(follow_up: FollowUp, intent: str | None) -> bool:
    """Whether a detected follow-up replaces the classifier's ``intent`` (retrieval intents by their base).

    "comment ça marche ?" stays a question about the assistant (capabilities); "comment je fais ?" (first
    person) is about the resident's procedure.
    """
    base = (intent or "").split("/")[0]
    if base in KEEPS[follow_up.kind]:
        return False
    return not (follow_up.kind == Kind.HOW and base == "capabilities" and not follow_up.first_person)
