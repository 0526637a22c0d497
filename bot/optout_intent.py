"""Does an SMS ask us to stop sending messages? Normalised text in, a decision out.

Only a keyword form opts out at once: a stop word ("STOP", "ARRET", "désinscription"...) alone or with
polite words and the name of what we send ("stop sms svp", "arrêt des messages merci").

A natural refusal of our messages ("je veux plus recevoir vos sms", "merci de ne plus m'envoyer de
messages") never opts out by itself: the channel answers with a hint ("répondez STOP"). Never a refusal:

- a message about danger (``bot.danger.detect``): it must reach a human;
- another body or another kind of mail ("je ne veux plus recevoir les SMS de la CAF");
- someone else who writes to the person ("mon ex ne veut plus arrêter de m'envoyer des messages");
- "plus" meaning more ("je voudrais plus d'informations par sms");
- a request to be contacted ("je veux plus rater vos messages, envoyez-moi un rappel");
- waiting ("je ne veux plus attendre au téléphone, un sms suffit");
- stopping an appointment ("je veux plus le rdv de jeudi, confirmez par sms");
- stopping the reminders only ("STOP RAPPELS", "stop rappel 2": bot/reminders/keywords.py);
- a long message (a story or a question, for the assistant or a mediator to read).

The rules are checked in that order; each one has a test that fails without it (docs/security.md).
"""

from __future__ import annotations

import re
from typing import Literal

from bot.danger import detect

Decision = Literal["stop", "suggest_stop", "none"]
STOP: Decision = "stop"  # opt out now
SUGGEST_STOP: Decision = "suggest_stop"  # a refusal in words: tell the person to answer STOP
NONE: Decision = "none"  # not about our messages

MAX_CHARS = 200

# A keyword form: every word is a stop word or a filler, with at least one stop word.
_STOP_WORDS = frozenset(
    {
        "stopall",
        "arret",
        "arrete",
        "arreter",
        "arretez",
        "stopper",
        "stoppez",
        "desabonner",
        "desabonnement",
        "desabonnez",
        "desinscrire",
        "desinscription",
        "desinscrivez",
        "unsubscribe",
        "end",
        "quit",
    }
)
_STOP_TYPO = re.compile(r"sto+p+")  # "stop", "stopp", "stooop"
_FILLERS = frozenset(
    {
        # politeness
        "bonjour",
        "merci",
        "svp",
        "stp",
        "please",
        "s",
        "il",
        "vous",
        "plait",
        "oui",
        "pls",
        "bonne",
        "journee",
        "bjr",
        # "stop all", "me désinscrire", "désabonnez-moi"
        "all",
        "se",
        "me",
        "moi",
        # what we send
        "pimms",
        "sms",
        "message",
        "messages",
        "msg",
        "textos",
        "notifications",
        "rappels",
        "envoi",
        "envois",
        # determiners ("stop aux sms", "arrêt des messages")
        "a",
        "aux",
        "les",
        "des",
        "de",
        "d",
        "vos",
    }
)
_MAX_KEYWORD_WORDS = 10

# What we send: the object of a refusal.
_OURS = (
    r"(?:sms|textos?|messages?|msg|notifications?|rappels?|relances?|m envoyer|menvoyer|m ecrire|mecrire|"
    r"me contacter|m en envoyer|etre contacte\w*|me recontacter)"
)
_REFUSALS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p)
    for p in (
        # je (ne) veux plus (recevoir) vos sms, jveux pas de vos messages, je souhaite plus être contacté
        r"\b(?:j?veux|j?veut|j?veu|j?vx|j?ve|souhaite|voudrais|desire) (?:vraiment )?(?:plus|plu|pu|pas)\b.*\b"
        + _OURS
        + r"\b",
        # arrêtez / cessez / stoppez de m'envoyer des messages, arrêtez les sms
        r"\b(?:arr?et\w*|cess\w*|stop\w*)\b(?: \w+){0,5}? " + _OURS + r"\b",
        # vos sms, arrêtez ! / ces messages, ça suffit
        r"\b(?:vos|ces|les) (?:sms|textos?|messages?)\b.*\b(?:arr?et\w*|stop\w*|cess\w*|suffit)\b",
        # (merci de) ne plus m'envoyer de sms
        r"\bne plus\b.*\b" + _OURS + r"\b",
        # ne m'envoyez plus de messages, m'écrivez plus
        r"\b(?:me |m ?)(?:envoyez|ecrivez|contactez|relancez) plus\b",
        # ne m'envoyer plus de sms (infinitive: only with "ne")
        r"\bne (?:me |m ?)(?:envoyer|ecrire|contacter) plus\b",
        # plus de sms svp, plus jamais de messages
        r"^(?:merci )?(?:plus|pu) (?:jamais )?(?:de |d )?(?:vos )?(?:sms|textos?|messages?)\b",
        # désabonnez-moi des sms, me désinscrire de vos messages
        r"\b(?:desabonn\w*|desinscri\w*)\b.*\b" + _OURS + r"\b",
        # retirez mon numéro (de votre liste)
        r"\b(?:retirez|supprimez|enlevez) (?:moi|mon numero)\b|\bme retirer de (?:votre|la|vos) liste",
    )
)

# Guards: a refusal-looking message that matches one of these is not about our messages. One regex per rule,
# so that the mutation check (bench/mutation.py) removes each on its own.
_NOT_A_REFUSAL: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p)
    for p in (
        # another body: "je ne veux plus recevoir les SMS de la CAF"
        r"\b(?:caf|cpam|ameli|secu|securite sociale|msa|urssaf|carsat|france travail|pole emploi|impots?|"
        r"finances publiques|prefecture|ants|mairie|banque|bancaires?|mutuelle|assurance|edf|engie|"
        r"operateur|free|sfr|orange|bouygues|la poste|whatsapp|applis?|applications?)\b",
        # another kind of mail or advertising: "comment stopper les sms de pub ?"
        r"\b(?:courriers?|lettres?|e ?mails?|courriels?|newsletter|pub|publicitaires?|publicites?)\b",
        # someone close writes to the person: "mon ex ne veut plus arrêter de m'envoyer des messages"
        r"\b(?:mon|ma) (?:ex|proprietaire|proprio|bailleur|voisin|voisine|mari|conjoint|copain|copine|patron)\b",
        # he / she / who writes to me: "il m'écrit sans arrêt des messages"
        r"\b(?:il|elle|ils|elles|qui) (?:ne |n )?(?:m|me) (?:envoi\w*|envoy\w*|ecri\w*|harcel\w*)",
        # he / she does (not) stop: "il arrête pas de m'envoyer des messages", "qu'il arrête de m'écrire"
        r"\b(?:il|elle|ils|elles) (?:ne |n )?(?:arret\w*|cess\w*)\b",
        # someone writes to someone else: "son père lui envoie des messages"
        r"\b(?:lui|leur) (?:envoi\w*|envoy\w*|ecri\w*)",
        # "plus" meaning more: "plus d'informations", "plus de rendez-vous disponibles"
        r"\bplus (?:de |d )(?:informations?|infos?|details?|aide|renseignements?|precisions?|explications?|"
        r"rendez vous|rdv|creneaux?)\b",
        # the person asks to be contacted: "envoyez-moi un sms", "vous pouvez me recontacter"
        r"\b(?:envoy\w*|ecriv\w*|recontact\w*|rappel\w*|prevenez) moi\b",
        r"\bpouvez (?:vous )?(?:me|m)\b",
        # waiting: "je ne veux plus attendre au téléphone, un sms suffit"
        r"\b(?:attendre|patienter|mon tour)\b",
        # stopping an appointment: "je veux plus le rdv de jeudi, confirmez par sms"
        r"\b(?:stop\w*|arret\w*|annul\w*|veux plus|veux pas) (?:le |la |mon |ma |ce |du )?"
        r"(?:rdv|rendez vous|reservation)\b",
    )
)


# "STOP RAPPELS", "stop rappel 2": the reminders' own stop (bot/reminders), never the channels' STOP.
_REMINDERS_STOP = re.compile(
    r"^(?:stop|stopper|stoppez|arret|arrete|arreter|arretez)(?: (?:les|mes|tous les|tous mes))? rappels?"
    r"(?: (?P<number>\d{1,2}))?(?: (?:svp|stp|merci|s il vous plait))*$"
)


def reminders_stop(norm: str) -> tuple[bool, int]:
    """(True, n) for "STOP RAPPEL n", (True, 0) for "STOP RAPPELS" and its usual spellings; (False, 0) otherwise."""
    match = _REMINDERS_STOP.match(norm)
    if not match:
        return False, 0
    number = match.group("number")
    return True, int(number) if number else 0


def is_keyword(norm: str) -> bool:
    """A keyword form: stop words with polite words and what we send ("stop sms svp", "arrêt des messages")."""
    words = norm.split()
    if len(words) > _MAX_KEYWORD_WORDS:
        return False
    stops = [w for w in words if w in _STOP_WORDS or _STOP_TYPO.fullmatch(w)]
    return bool(stops) and all(w in _FILLERS or w in stops for w in words)


def decide(norm: str) -> Decision:
    """What to do with a (normalised) message: opt out now, suggest STOP, or nothing."""
    if len(norm) > MAX_CHARS:
        return NONE
    if detect(norm) is not None:
        return NONE
    if reminders_stop(norm)[0]:  # STOP RAPPELS stops the reminders only (bot/reminders)
        return NONE
    if is_keyword(norm):
        return STOP
    if not any(p.search(norm) for p in _REFUSALS):
        return NONE
    if any(p.search(norm) for p in _NOT_A_REFUSAL):
        return NONE
    return SUGGEST_STOP


def is_stop_request(norm: str) -> bool:
    """Whether the (normalised) message opts out at once (a keyword form)."""
    return decide(norm) == STOP
