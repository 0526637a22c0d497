"""What a follow-up is read against: the latest answer with a topic or counter information, a few turns back."""

from __future__ import annotations

from typing import Any

from bot.conversation.context import Context, Service, current_context


def user(text: str, intent: str, **parse: Any) -> dict[str, Any]:
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}, **parse}}


def faq_answer(topic: str) -> dict[str, Any]:
    return {"event": "bot", "text": "...", "metadata": {"utter_action": f"utter_faq/{topic}"}}


def test_the_last_faq_topic() -> None:
    events = [user("le rsa c quoi", "faq"), faq_answer("caf_rsa"), user("comment je fais", "follow_up")]
    assert current_context(events) == Context(Service.FAQ, "caf_rsa", "le rsa c quoi")


def test_the_topic_from_the_response_selector_when_the_answer_has_no_metadata() -> None:
    selector = {"faq": {"response": {"intent_response_key": "faq/caf_apl"}}}
    events = [user("apl", "faq/caf_apl", response_selector=selector), user("et ma femme", "follow_up")]
    assert current_context(events).topic == "caf_apl"


def test_hours_then_follow_ups_chain() -> None:
    events = [
        user("horaires vaulx", "ask_hours"),
        {"event": "action", "name": "action_site_hours"},
        user("et le mardi", "follow_up"),
        user("merci", "thanks"),
        user("et le jeudi ?", "follow_up"),
    ]
    assert current_context(events) == Context(Service.HOURS, None, "horaires vaulx")


def test_another_request_or_too_many_turns_end_the_context() -> None:
    booking = [user("rsa", "faq"), faq_answer("caf_rsa"), user("annuler mon rdv", "cancel_appointment")]
    assert current_context([*booking, user("et le mardi", "follow_up")]) == Context()
    old = [user("rsa", "faq"), faq_answer("caf_rsa"), *[user("merci", "thanks")] * 3, user("comment", "follow_up")]
    assert current_context(old) == Context()
    assert current_context(old, max_turns=4).topic == "caf_rsa"
    restarted = [user("rsa", "faq"), faq_answer("caf_rsa"), {"event": "session_started"}, user("et", "follow_up")]
    assert current_context(restarted) == Context()


def test_a_faq_answer_given_during_a_form_counts() -> None:
    events = [user("c quoi l apl", "book_appointment"), faq_answer("caf_apl"), user("comment je fais", "follow_up")]
    assert current_context(events).topic == "caf_apl"
