"""Is an SMS a request to stop receiving this service's messages? (normalised text in, yes or no out)

Opt out on the keyword forms ("STOP", "ARRET SMS", "désabonner") and on clear requests to stop
receiving messages from us ("arrêtez de m'envoyer des messages", "je veux plus de vos sms": SMS French
often drops the "ne"). Never on a message that names another body or another kind of mail ("Comment me
désinscrire de France Travail ?", "desinscription caf", "plus de courrier de la CAF"): those are questions
for the assistant.
"""

from __future__ import annotations

import re

KEYWORDS = frozenset(
    {
        "stop",
        "stopall",
        "stop all",
        "arret",
        "arreter",
        "arretez",
        "stopper",
        "stoppez",
        "desabonner",
        "se desabonner",
        "me desabonner",
        "desabonnement",
        "desabonnez moi",
        "desinscrire",
        "me desinscrire",
        "desinscription",
        "desinscrivez moi",
        "unsubscribe",
        "end",
        "quit",
    }
)
# Words that may follow a keyword without changing its meaning ("STOP SMS SVP", "arrêt merci").
_TRAILERS = frozenset({"sms", "svp", "stp", "merci", "please", "pimms", "messages", "message", "s il vous plait"})
_TRAILER_ALTERNATIVES = "|".join(sorted((re.escape(t) for t in _TRAILERS), key=len, reverse=True))
_TRAILER_RE = re.compile(r"(?:\s+(?:" + _TRAILER_ALTERNATIVES + r"))+$")

# Another sender or another kind of mail: the person asks about it, not about our SMS.
_OTHER_BODY = re.compile(
    r"\b(caf|cpam|ameli|secu|securite sociale|msa|urssaf|carsat|france travail|pole emploi|impots?|"
    r"finances publiques|prefecture|ants|mairie|banque|mutuelle|assurance|edf|engie|gdf|totalenergies|"
    r"operateur|free|sfr|orange|bouygues|la poste|courriers?|lettres?|e ?mails?|mails?|courriels?|"
    r"newsletter|liste electorale|inscrit|contrat|prelevements?|travail|emploi)\b"
)
# What we send: the object of the refusal.
_OUR_MESSAGES = (
    r"(?:sms|textos?|messages?|notifications?|m envoyer|m ecrire|me contacter|m en envoyer|"
    r"me relancer|etre contacte|me recontacter)"
)
_REFUSALS = re.compile(
    "|".join(
        (
            # je (ne) veux plus (recevoir) (de) vos sms / je souhaite plus recevoir vos messages
            r"\b(?:ne |n )?(?:veux|veut|souhaite|voudrais|desire|veux vraiment) plus\b.*\b" + _OUR_MESSAGES + r"\b",
            # arrêtez / cessez / stoppez de m'envoyer des messages, arrêtez les sms
            r"\b(?:arret\w*|cess\w*|stopp?\w*)\b.*\b" + _OUR_MESSAGES + r"\b",
            # (merci de) ne plus m'envoyer de sms / ne m'envoyez plus de messages
            r"\bne plus\b.*\b" + _OUR_MESSAGES + r"\b",
            r"\bne (?:m|me) (?:envoyez|ecrivez|contactez|relancez) plus\b",
            # plus de sms (svp) / plus jamais de messages
            r"^(?:merci )?plus (?:jamais )?(?:de |d )?(?:vos )?(?:sms|textos?|messages?)\b",
            # désabonnez-moi des sms, me désinscrire de vos messages, retirez mon numéro
            r"\b(?:desabonn\w*|desinscri\w*)\b.*\b" + _OUR_MESSAGES + r"\b",
            r"\b(?:retirez|supprimez|effacez) (?:moi|mon numero)\b",
        )
    )
)


def is_keyword(norm: str) -> bool:
    """A keyword form, alone or with polite trailers ("stop sms svp")."""
    return norm in KEYWORDS or _TRAILER_RE.sub("", norm) in KEYWORDS


def is_stop_request(norm: str) -> bool:
    """Whether the (normalised) message asks us to stop sending messages."""
    if not norm or len(norm) > 200:
        return False
    if is_keyword(norm):
        return True
    if _OTHER_BODY.search(norm):
        return False
    return bool(_REFUSALS.search(norm))
