"""Routing one message with the stored preference: commands, menu answers, stickiness, French as the prior."""

from __future__ import annotations

from bot.language.codes import Language
from bot.language.detect import Detection
from bot.language.routing import resolve
from bot.language.store import Preference


def test_nothing_stored_and_a_french_sms_is_french_with_nothing_to_store() -> None:
    routing = resolve("rdv caf svp", None)
    assert (routing.language, routing.preference, routing.reply) == (Language.FR, None, None)


def test_langue_opens_the_menu_and_a_number_answers_it() -> None:
    opened = resolve("LANGUE", None)
    assert opened.reply is not None and "3 English" in opened.reply
    assert opened.preference == Preference(Language.FR, "detected", menu_open=True)
    chosen = resolve("3", opened.preference)
    assert chosen.language == Language.EN and chosen.preference == Preference(Language.EN, "choice")
    assert chosen.reply == "OK, I will answer you in English."


def test_a_number_without_the_menu_is_an_ordinary_message() -> None:
    routing = resolve("3", Preference(Language.FR, "detected"))
    assert routing.reply is None and routing.language == Language.FR


def test_another_message_closes_the_menu() -> None:
    routing = resolve("je veux un rdv", Preference(Language.FR, "detected", menu_open=True))
    assert routing.reply is None and routing.language == Language.FR
    assert routing.preference is None or not routing.preference.menu_open


def test_a_chosen_language_stays_whatever_the_messages_look_like() -> None:
    stored = Preference(Language.TR, "choice")
    assert resolve("bonjour je veux un rendez vous a la caf", stored).language == Language.TR
    assert resolve("hello i need help please", stored).language == Language.TR


def test_francais_comes_back_from_any_language() -> None:
    routing = resolve("FRANCAIS", Preference(Language.AR, "choice"))
    assert routing.language == Language.FR and routing.preference == Preference(Language.FR, "choice")
    assert routing.reply == "D'accord, je vous réponds en français."


def test_a_detected_language_is_stored_and_kept_through_short_messages() -> None:
    first = resolve("hello i need help with my caf please", None)
    assert first.language == Language.EN and first.preference == Preference(Language.EN, "detected")
    for short in ("ok", "oui", "merci", "3"):
        kept = resolve(short, first.preference)
        assert kept.language == Language.EN and kept.preference == first.preference, short


def test_a_clear_french_message_leaves_a_detected_language() -> None:
    routing = resolve("bonjour je voudrais prendre un rendez vous pour la caf", Preference(Language.EN, "detected"))
    assert routing.language == Language.FR and routing.preference is None


def test_a_message_in_another_language_replaces_a_detected_one() -> None:
    routing = resolve("hola necesito una cita por favor", Preference(Language.EN, "detected"))
    assert routing.preference == Preference(Language.ES, "detected")


def test_the_detector_is_injected() -> None:
    def always_romanian(text: str) -> Detection:
        return Detection(Language.RO, 0.99, "test")

    assert resolve("anything", None, always_romanian).language == Language.RO
