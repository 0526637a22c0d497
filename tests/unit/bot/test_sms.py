"""SMS shaping: GSM-7, segments, splitting, numbered buttons."""

from __future__ import annotations

import redis.asyncio as aioredis

from bot.sms import (
    ButtonMemory,
    format_sms,
    is_gsm7,
    render_buttons,
    resolve_choice,
    segment_count,
    transliterate,
)

ANSWER = (
    "Pour votre dossier de la CAF, apportez votre pièce d’identité et votre numéro d’allocataire. "
    "Le conseiller vérifie vos droits avec vous, puis il vous aide à remplir le formulaire en ligne. "
    "Si vous avez reçu un courrier, apportez-le aussi : c’est plus rapide. "
    "Le rendez-vous dure en général une demi-heure, parfois un peu plus quand le dossier est complexe. "
    "Pensez à venir cinq minutes en avance, l’accueil peut être chargé le lundi matin. "
    "Vous pouvez aussi venir sans rendez-vous pendant les permanences, mais l’attente est plus longue. "
    "Gardez une copie de chaque document envoyé."
)


def test_transliteration_keeps_gsm_letters_and_replaces_the_rest() -> None:
    text = transliterate("L’été « déjà » là… Œuvre, être, île, côté, sûr, ça 😀 ✅ à bientôt !")
    assert text == 'L\'été "déjà" là... Oeuvre, etre, ile, coté, sur, ca :) à bientot !'
    assert is_gsm7(text)


def test_segment_counts() -> None:
    assert segment_count("a" * 160) == 1
    assert segment_count("a" * 161) == 2
    assert segment_count("a" * 306) == 2
    assert segment_count("€" * 80) == 1
    assert segment_count("ê" * 70) == 1
    assert segment_count("ê" * 71) == 2
    assert segment_count("") == 0


def test_long_french_answer_leaves_as_gsm7_in_at_most_four_segments() -> None:
    assert 580 <= len(ANSWER) <= 620
    messages = format_sms(ANSWER, max_messages=4)
    assert 1 <= len(messages) <= 4
    assert sum(segment_count(m) for m in messages) <= 4
    assert all(is_gsm7(m) for m in messages)
    words = transliterate(ANSWER).split()
    assert " ".join(" ".join(messages).split()) == " ".join(words)  # nothing lost, no word cut


def test_split_on_sentence_boundaries_when_each_part_fits_one_segment() -> None:
    text = "Première phrase assez longue pour compter un peu. " * 3 + "Dernière phrase."
    messages = format_sms(text, max_messages=4)
    assert len(messages) == 2
    assert all(m.endswith(".") and segment_count(m) == 1 for m in messages)


def test_very_long_text_is_bounded_and_never_cut_mid_word() -> None:
    text = "Voici une phrase de test pour un très long message. " * 100
    messages = format_sms(text, max_messages=3)
    assert len(messages) <= 3
    source_words = set(transliterate(text).split())
    for message in messages:
        assert all(word.rstrip(".") + "." in source_words or word in source_words for word in message.split())


def test_buttons_render_and_resolve() -> None:
    buttons = [{"title": "Oui", "payload": "/affirm"}, {"title": "Non", "payload": "/deny"}]
    assert render_buttons("Confirmez-vous ?", buttons) == "Confirmez-vous ?\n1. Oui\n2. Non"
    assert format_sms(render_buttons("Confirmez-vous ?", buttons)) == ["Confirmez-vous ?\n1. Oui\n2. Non"]
    assert resolve_choice(" 2 ", buttons) == "/deny"
    assert resolve_choice("1.", buttons) == "/affirm"
    assert resolve_choice("oui", buttons) == "/affirm"
    assert resolve_choice("3", buttons) is None
    assert resolve_choice("peut-être", buttons) is None


async def test_button_memory_maps_a_number_once(redis_url: str) -> None:
    client = aioredis.Redis.from_url(redis_url)
    memory = ButtonMemory(client)
    await memory.remember("sms-33612345678", [{"title": "Oui", "payload": "/affirm"}])
    assert await memory.resolve("sms-33612345678", "bonjour") is None
    assert await memory.resolve("sms-33699999999", "1") is None
    assert await memory.resolve("sms-33612345678", "1") == "/affirm"
    assert await memory.resolve("sms-33612345678", "1") is None
    await client.close()
