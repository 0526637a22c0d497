"""One message, the stored preference -> the language to answer in, what to store, and what to say first.

The order: the LANGUE command opens the menu; FRANCAIS comes back to French; an open menu takes a number or a
name; a language's name alone is a choice too. Otherwise a chosen language stays until the resident changes
it, and a detected one stays through short messages ("ok", "oui", "merci" after an English conversation) until
a message clearly in another language, French included, arrives. Nothing stored means French.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.language import choice
from bot.language.codes import PRIOR, Language
from bot.language.detect import Detection, detect, words_of
from bot.language.store import Preference

# A detected language is left for French only on a clear French message.
BACK_TO_FRENCH_CONFIDENCE = 0.9
BACK_TO_FRENCH_WORDS = 3

Detector = Callable[[str], Detection]


@dataclass(frozen=True)
class Routing:
    """The outcome for one message.

    ``reply`` is set when the message was a language command or choice: the assistant sends it and the NLU
    does not see the message. ``preference`` is what to store (None: nothing to keep, delete what was stored:
    French needs no key).
    """

    language: Language
    preference: Preference | None
    reply: str | None
    reason: str


def resolve(text: str, stored: Preference | None, detector: Detector = detect) -> Routing:
    """Decide the language of the answer to ``text``."""
    current = stored.language if stored else PRIOR
    if choice.is_command(text):
        source = stored.source if stored else "detected"
        return Routing(current, Preference(current, source, menu_open=True), choice.menu_text(), "command")
    if choice.is_back_to_french(text):
        return Routing(PRIOR, Preference(PRIOR, "choice"), choice.confirmation(PRIOR), "back to French")
    chosen = choice.parse_choice(text, menu_open=bool(stored and stored.menu_open))
    if chosen is not None:
        return Routing(chosen, Preference(chosen, "choice"), choice.confirmation(chosen), "choice")
    if stored and stored.menu_open:
        stored = Preference(stored.language, stored.source)  # any other message closes the menu
    if stored and stored.source == "choice":
        return Routing(stored.language, stored, None, "chosen")
    detection = detector(text)
    if detection.language != PRIOR:
        return Routing(detection.language, Preference(detection.language, "detected"), None, detection.reason)
    if stored and stored.language != PRIOR and not _clearly_french(text, detection):
        return Routing(stored.language, stored, None, "kept")
    return Routing(PRIOR, None, None, detection.reason)


def _clearly_french(text: str, detection: Detection) -> bool:
    return (
        detection.reason == "model"
        and detection.confidence >= BACK_TO_FRENCH_CONFIDENCE
        and len(words_of(text)) >= BACK_TO_FRENCH_WORDS
    )
