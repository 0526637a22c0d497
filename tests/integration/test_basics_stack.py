"""French conversation basics through the REST channel of the running stack."""

from __future__ import annotations

import uuid

import pytest

pytestmark = pytest.mark.stack


def _sender() -> str:
    return f"rest-{uuid.uuid4().hex[:10]}"


def _joined(stack, text: str) -> str:
    return " ".join(stack.texts(_sender(), text)).lower()


def test_bonjour_answers_in_french(stack):
    reply = _joined(stack, "bonjour")
    assert "bonjour" in reply and "assistant automatique" in reply


def test_bonsoir(stack):
    assert "assistant automatique" in _joined(stack, "bonsoir")


def test_identity_says_automatic_free_no_bank_details(stack):
    reply = _joined(stack, "t'es un robot ou quoi")
    assert "assistant automatique" in reply
    assert "gratuit" in reply
    assert "bancaires" in reply


def test_opening_hours(stack):
    reply = _joined(stack, "quels sont vos horaires")
    assert "lundi: 9h-12h" in reply
    assert "vaulx-en-velin" in reply


def test_address(stack):
    reply = _joined(stack, "vous êtes où ?")
    assert "10 rue de l'exemple, 69008 lyon" in reply


def test_thanks(stack):
    assert "avec plaisir" in _joined(stack, "merci bcp")


def test_unrelated_question_gets_the_honest_fallback(stack):
    reply = _joined(stack, "qui a gagné la coupe du monde 2018")
    assert ("je ne peux pas répondre" in reply) or ("pas de réponse sûre" in reply) or ("je n'ai pas compris" in reply)
    assert "mediateur" in reply


def test_capabilities(stack):
    reply = _joined(stack, "tu sers a quoi")
    assert "rendez-vous" in reply and "médiateur" in reply


def test_api_is_protected_by_the_token(stack):
    import urllib.error
    import urllib.request

    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(f"{stack.rasa_url}/conversations/x/tracker", timeout=10)
    assert info.value.code == 401
