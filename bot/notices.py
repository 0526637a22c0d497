"""What the channels tell a resident about a message itself (too long, empty, a photo...) and their help.

The network's name (``network`` in config/sites.yml, e.g. "PIMMS de Lyon") is filled in by the callers.
"""

from __future__ import annotations

RATE_LIMITED = "Vous m'avez envoyé beaucoup de messages. Je vous répondrai à nouveau dans quelques minutes."
EMPTY = "Votre message est vide. Écrivez-moi votre question en quelques mots."
TOO_LONG = "Votre message est trop long pour moi. Pouvez-vous le résumer en quelques phrases ?"
MEDIA = (
    "Je suis un assistant automatique : je ne peux pas lire les photos, les sons ni les fichiers. "
    "Écrivez-moi votre question en quelques mots."
)
EDITED = "Je ne lis pas les messages modifiés. Envoyez-moi plutôt un nouveau message."
SMS_STOPPED = "Vous ne recevrez plus de SMS de l'assistant PIMMS. Pour reprendre, envoyez START."
SMS_STOP_HINT = "Pour ne plus recevoir nos SMS, répondez STOP."
SMS_RESTARTED = "C'est noté : vous recevez de nouveau les SMS de l'assistant PIMMS. Quelle est votre question ?"


def help_telegram(network: str) -> str:
    """Answer to /start and /help on Telegram."""
    return (
        f"Je suis l'assistant automatique des {network}. Posez-moi votre question en un message. "
        "Je peux aussi vous aider à prendre rendez-vous."
    )


def help_sms(network: str) -> str:
    """Answer to the HELP / AIDE keyword by SMS."""
    return (
        f"Assistant automatique des {network}. Posez votre question en un SMS. "
        "Envoyez STOP pour ne plus recevoir de SMS."
    )
