"""Which language a resident writes in, and which one they chose: detection with French as the prior.

``detect(text)`` reads one message; ``choice`` parses the LANGUE command, its menu and FRANCAIS;
``routing.resolve`` combines both with what ``LanguageStore`` remembers of the sender. Nothing here imports
Rasa; the admission path plugs ``resolve`` in later (issue 23).
"""

from bot.language.codes import Language
from bot.language.detect import Detection, detect

__all__ = ["Detection", "Language", "detect"]
