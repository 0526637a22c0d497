"""What the WhatsApp channel tells residents (French, vouvoiement, GSM-7) and what mediators read of a file sent.

WhatsApp's own rules (Meta's WhatsApp Business Messaging Policy, consulted 2026-12-07): the person must have
agreed to receive messages from the business, every opt-out request must be honoured, and after 24 hours
without a message from the person only approved templates may be sent. STOP, ARRET and START work as by SMS.
"""

from __future__ import annotations

STOPPED = "Vous ne recevrez plus de messages WhatsApp de l'assistant PIMMS. Pour reprendre, envoyez START."
RESTARTED = "C'est noté : vous recevez de nouveau les messages de l'assistant PIMMS. Quelle est votre question ?"
STOP_HINT = "Pour ne plus recevoir nos messages WhatsApp, répondez STOP."
MEDIA = (
    "Je suis un assistant automatique : je ne peux pas lire les photos, les messages vocaux ni les fichiers. "
    "Écrivez votre question en quelques mots, ou demandez à parler à un médiateur."
)

# What the console shows of a file the person sent (its content is never downloaded).
_KINDS = (("image/", "une photo"), ("audio/", "un message vocal"), ("video/", "une vidéo"))


def help_text(network: str) -> str:
    """The answer to AIDE on WhatsApp."""
    return (
        f"Assistant automatique des {network}. Posez votre question en un message. "
        "Envoyez STOP pour ne plus recevoir de messages."
    )


def media_kind(content_type: str) -> str:
    """``"image/jpeg"`` -> ``"une photo"``; anything else is a document."""
    kind = content_type.strip().lower()
    return next((label for prefix, label in _KINDS if kind.startswith(prefix)), "un document")


def media_note(content_types: list[str]) -> str:
    """The transcript line standing for files sent without text, e.g. ``[La personne a envoyé une photo...]``."""
    kinds = [media_kind(kind) for kind in content_types] or ["un fichier"]
    unique = list(dict.fromkeys(kinds))
    listed = unique[0] if len(unique) == 1 else ", ".join(unique[:-1]) + " et " + unique[-1]
    count = f" ({len(kinds)} fichiers)" if len(kinds) > 1 else ""
    return f"[La personne a envoyé {listed}{count} par WhatsApp : non lu par l'assistant]"
