"""Which language one message is written in, with French as the prior.

A non-Latin script decides at once (Arabic script -> ar, Cyrillic -> uk or ru). A Latin-script message
switches away from French only on enough evidence: the project's own character model (``bot.language.model``)
must put another language first, and points from several signals must add up (its confidence, words only
that language uses, its letters such as ş or ã, Darija written with digits such as "m3a", the length). A
short SMS-style French message ("rdv caf svp", "ok merci", "oui") never carries enough of them, and a message
of fewer than two words, not counting those French SMS share with other languages ("salam", "inchallah",
"shukran", "hello"), never switches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.language.codes import PRIOR, Language
from bot.language.model import LanguageModel, default_model
from bot.language.script import script_language

_WORD = re.compile(r"[^\W_]+")
# Darija in Latin letters writes ع, ح, ق with the digits 3, 7, 9 inside words ("m3a", "3andi", "sa7a").
_ARABIZI = re.compile(r"^(?=.*[a-z])[a-z]*[379][a-z]*[a-z][a-z]*$|^[a-z]+[379][a-z]*$")

# Words each language uses and a French SMS does not (none occurs in the French NLU examples: a test checks;
# "sim" left out of Portuguese: French residents write "carte SIM").
MARKER_WORDS: dict[Language, frozenset[str]] = {
    Language.EN: frozenset(
        "the my i i'm im is you your please thanks thank what how where when can need want have don't dont "
        "someone with would could should do does did not am".split()
    ),
    Language.ES: frozenset(
        "hola gracias necesito quiero tengo puedo donde dónde cita ayuda por favor hablo español como cómo "
        "el esta está hay señora buenos buenas dias días tarde mañana porque".split()
    ),
    Language.PT: frozenset(
        "ola olá obrigado obrigada preciso quero tenho posso onde ajuda falar nao não meu minha "
        "bom boa dia tarde noite amanha amanhã voce você esta está uma um com pelo pela ha há".split()
    ),
    Language.TR: frozenset(
        "merhaba selam teşekkür tesekkur teşekkürler sağol sagol lütfen lutfen randevu istiyorum var yok mı "
        "nasıl nasil nerede yardım yardim benim bir için icin lazım lazim evet hayır hayir".split()
    ),
    Language.RO: frozenset(
        "buna bună multumesc mulțumesc vreau am nevoie ajutor vă rog unde este sunt nu pot să "
        "mă imi îmi cum cine doamna doamnă ziua seara programare".split()
    ),
    Language.AR: frozenset(
        "salamo 3alikom 3likom khouya khoya bghit 3afak chokran wach kifach "
        "chno 3andi ma3andich khassni lwa9t rani nta nti dyali dyal hadchi wakha labas hamdoullah bslama "
        "mafhamtch ma3reftch kayn makaynch m3a".split()
    ),
}

# Words French residents use in French SMS too (greetings, blessings, thanks): never enough on their own.
NEUTRAL_WORDS = frozenset(
    "salam salem slm salamo alikoum aleykoum alaykoum 3alikom wesh wsh inchallah inshallah incha allah "
    "hamdoulah hamdoulilah hamdoullah hamdullah lhamdoulilah el al wallah wallahi machallah mashallah bismillah "
    "saha sa7a sahit choukran chokran shukran bzaf hello hey hi ok okay yes no bye merci".split()
)
MIN_WORDS = 2  # a one-word message never switches (besides its script)

SPECIAL_LETTERS: dict[Language, str] = {
    Language.ES: "ñ¿¡",
    Language.PT: "ãõ",
    Language.TR: "ğı",
    Language.RO: "ăț",
}


@dataclass(frozen=True)
class Detection:
    """The language of a message, how sure, and why (for logs and the report, never the text itself)."""

    language: Language
    confidence: float
    reason: str


SWITCH_POINTS = 3


def words_of(text: str) -> list[str]:
    """Lower-case words (letters and digits, so that "m3a" stays one word)."""
    return _WORD.findall(text.lower())


def _special(language: Language, text: str) -> bool:
    letters = SPECIAL_LETTERS.get(language, "")
    return any(c in letters for c in text.lower())


def evidence(language: Language, text: str, words: list[str], probability: float) -> int:
    """Points for switching to ``language`` (``SWITCH_POINTS`` are needed)."""
    points = 0
    if probability >= 0.5:
        points += 1
    if probability >= 0.85:
        points += 1
    if probability >= 0.97:
        points += 1
    markers = sum(w in MARKER_WORDS.get(language, frozenset()) for w in words)
    points += min(markers, 2)
    if _special(language, text):
        points += 1
    if language == Language.AR and any(_ARABIZI.match(w) for w in words):
        points += 2
    if len(words) >= 2:
        points += 1
    if len(words) >= 4:
        points += 1
    return points


def detect(text: str, model: LanguageModel | None = None) -> Detection:
    """The language of one message; French unless the script or enough evidence says otherwise."""
    by_script = script_language(text)
    if by_script is not None:
        return Detection(by_script, 1.0, "script")
    words = words_of(text)
    if not any(any(c.isalpha() for c in w) for w in words):
        return Detection(PRIOR, 1.0, "no words")
    if sum(w not in NEUTRAL_WORDS for w in words) < MIN_WORDS:
        return Detection(PRIOR, 1.0, "too short")
    probabilities = (model or default_model()).probabilities(text)
    best = max(probabilities, key=lambda language: probabilities[language])
    if best == PRIOR:
        return Detection(PRIOR, probabilities[PRIOR], "model")
    points = evidence(best, text, words, probabilities[best])
    if points >= SWITCH_POINTS:
        return Detection(best, probabilities[best], f"model and {points} points")
    return Detection(PRIOR, probabilities.get(PRIOR, 0.0), f"prior ({best.value}: {points} points)")
