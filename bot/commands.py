"""The keywords the assistant tells residents to write ("écrivez RDV", "répondez PLUS"...), as intents.

A resident who writes exactly what the assistant asked for must get that action, whatever the classifier
thinks of a one-word message: :func:`command_intent` maps such a message (case, accents and punctuation
ignored) to its intent. Anything longer or different is left to the classifier.
"""

from __future__ import annotations

from bot.text import normalize

# Normalised message -> intent. Only the keywords of the assistant's own texts and their usual spellings.
COMMANDS: dict[str, str] = {
    "rdv": "book_appointment",
    "rendez vous": "book_appointment",
    "mediateur": "human_handoff",
    "plus": "more",
    "stop rdv": "stop_booking",
    "mes rdv": "my_appointments",
    "annuler rdv": "cancel_appointment",
    # The same keywords in the residents' other languages (issue 23); the French ones work in every language.
    "appointment": "book_appointment",
    "cita": "book_appointment",
    "marcacao": "book_appointment",
    "randevu": "book_appointment",
    "programare": "book_appointment",
    "mediator": "human_handoff",
    "mediador": "human_handoff",
    "gorevli": "human_handoff",
}


def command_intent(text: str | None) -> str | None:
    """The intent of a message that is exactly one of the assistant's keywords, else None."""
    return COMMANDS.get(normalize(text or ""))
