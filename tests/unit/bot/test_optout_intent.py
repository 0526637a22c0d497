"""The opt-out decision: keyword forms opt out at once, refusals in words only get a hint to send STOP, and
each guard turns a refusal-looking message into "not about our messages". Each guard test pairs a message
with the same refusal without the guarded part, so removing the guard fails it. The whole labelled set:
test_optout_set.py."""

from __future__ import annotations

import pytest

from bot.optout import classify_keyword
from bot.optout_intent import MAX_CHARS, decide, is_keyword, is_stop_request
from bot.text import normalize

KEYWORD_FORMS = [
    "STOP",
    "stop sms svp",
    "ARRÊT",
    "Désabonnez-moi",
    "désinscription",
    "stopp",
    "Merci d'arrêter",
    "Bonjour, stop svp",
    "stop aux sms",
    "arrêt des messages",
    "Désinscrivez-moi de vos SMS s'il vous plaît",
]
REFUSALS_IN_WORDS = [
    "je veux plus recevoir vos sms",
    "Je ne veux plus recevoir de messages",
    "arretez de m'envoyer des messages",
    "Merci de ne plus m'envoyer de sms",
    "ne m'envoyez plus de messages",
    "plus de sms svp",
    "je veux me désabonner des sms",
    "retirez mon numéro",
    "Vos SMS, ça suffit, arrêtez.",
]


@pytest.mark.parametrize("text", KEYWORD_FORMS)
def test_keyword_forms_opt_out_at_once(text: str) -> None:
    assert classify_keyword(text) == "stop"
    assert is_stop_request(normalize(text)) and is_keyword(normalize(text))


@pytest.mark.parametrize("text", REFUSALS_IN_WORDS)
def test_refusals_in_words_only_get_a_hint(text: str) -> None:
    assert classify_keyword(text) == "suggest_stop"
    assert not is_stop_request(normalize(text)) and not is_keyword(normalize(text))


def test_start_help_and_anything_else() -> None:
    assert classify_keyword("START") == "start" and classify_keyword("reprendre") == "start"
    assert classify_keyword("AIDE") == "help"
    assert classify_keyword("bonjour") is None and classify_keyword("") is None


def test_a_keyword_needs_a_stop_word_and_only_fillers() -> None:
    assert not is_keyword("sms svp")  # fillers only
    assert not is_keyword("stop le rdv")  # a word that is not a filler
    assert not is_keyword("stop " + "sms " * 10)  # too many words for a keyword


GUARDED = [
    # (guarded message, the same refusal without the guarded part), one pair per rule of _NOT_A_REFUSAL
    ("je veux plus vivre, arrêtez de m'écrire", "je veux plus, arrêtez de m'écrire"),  # danger
    ("stop les messages, il va me tuer", "stop les messages, il le faut"),  # danger
    ("je ne veux plus recevoir les SMS de la CAF", "je ne veux plus recevoir les SMS"),  # another body
    ("comment stopper les sms de pub ?", "comment stopper les sms ?"),  # advertising
    ("mon ex ne veut plus arrêter de m'envoyer des messages", "je ne veux plus que vous m'envoyiez des messages"),
    ("il m'écrit sans arrêt des messages, je veux plus", "vous m'écrivez sans arrêt des messages, je veux plus"),
    ("il arrête pas de m'envoyer des messages", "arrête de m'envoyer des messages"),
    ("ma fille ne veut plus que son père lui envoie des messages", "je ne veux plus vos messages"),
    ("je voudrais plus d'informations par sms", "je voudrais plus de sms"),  # "plus" meaning more
    ("Je ne veux plus rater vos messages, envoyez-moi un rappel", "Je ne veux plus vos messages"),  # contact me
    ("Pouvez-vous m'envoyer moins de sms, je veux plus tous ces messages", "je veux plus tous ces messages"),
    ("je ne veux plus attendre au téléphone, un sms suffit", "je ne veux plus de sms"),  # waiting
    ("je veux plus le rdv de jeudi, confirmez par sms", "je veux plus de sms jeudi"),  # an appointment
]


@pytest.mark.parametrize(("guarded", "plain"), GUARDED)
def test_each_guard_is_what_keeps_a_refusal_alone(guarded: str, plain: str) -> None:
    assert classify_keyword(plain) == "suggest_stop"
    assert classify_keyword(guarded) is None


def test_a_long_message_is_for_a_human_even_with_a_refusal() -> None:
    refusal = "je ne veux plus recevoir vos sms"
    story = "ma situation a changé, la CAF me demande des papiers, " * 3
    long_text = (refusal + " " + "x" * MAX_CHARS)[: MAX_CHARS + 1]
    assert decide(normalize(refusal)) == "suggest_stop"
    assert decide(normalize(long_text)) == "none"
    assert decide(normalize(refusal + " " + "x" * (MAX_CHARS - len(refusal) - 1))) == "suggest_stop"  # 200: still
    assert classify_keyword(story + refusal) is None
