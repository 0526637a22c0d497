"""Which offer a yes takes: the one named last in the turn just before it; other features can add theirs."""

from __future__ import annotations

from typing import Any

from bot.conversation.offers import BOOKING, MEDIATOR, OFFERS, STEPS, Offer, OfferRegistry, last_bot_turn

FAQ = "Le RSA est un revenu minimum. Faites la demande sur caf.fr. Détails : répondez PLUS."
CAF = "Pour joindre la CAF : appelez le 3230. Besoin d'aide ? Écrivez RDV pour venir au PIMMS."


def bot(text: str, **metadata: Any) -> dict[str, Any]:
    return {"event": "bot", "text": text, "metadata": metadata}


def user(text: str) -> dict[str, Any]:
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": "affirm"}}}


def test_the_offer_of_the_answer_just_before_the_yes() -> None:
    assert OFFERS.pending([user("rsa ?"), bot(FAQ), user("oui")]) == STEPS
    assert OFFERS.pending([user("caf ?"), bot(CAF), user("ok je veux bien")]) == BOOKING
    fallback = "Désolé, je n'ai pas compris. Reformulez, ou écrivez MEDIATEUR pour parler à une personne."
    assert OFFERS.pending([user("xx"), bot(fallback), user("oui")]) == MEDIATOR


def test_the_closing_call_to_action_wins_when_an_answer_offers_two_things() -> None:
    both = "Un médiateur du PIMMS peut vous orienter : écrivez MEDIATEUR, ou RDV pour un rendez-vous."
    assert OFFERS.pending([user("?"), bot(both), user("oui")]) == BOOKING
    split = [user("caf"), bot(CAF), bot("Détails : répondez PLUS."), user("oui")]
    assert OFFERS.pending(split) == STEPS


def test_an_offer_is_gone_once_the_resident_wrote_something_else() -> None:
    events = [user("caf ?"), bot(CAF), user("merci"), bot("Avec plaisir. Avez-vous une autre question ?"), user("oui")]
    assert OFFERS.pending(events) is None
    assert OFFERS.pending([user("oui")]) is None and OFFERS.pending([]) is None


def test_a_closing_answer_offers_nothing() -> None:
    stopped = bot(
        "D'accord, j'arrête. Rien n'a été réservé. Écrivez RDV quand vous voulez.", utter_action="utter_booking_stopped"
    )
    assert OFFERS.pending([user("stop rdv"), stopped, user("ok")]) is None


def test_a_feature_registers_its_own_offer_by_marker_or_by_name() -> None:
    registry = OfferRegistry((BOOKING,))
    reminder = Offer("reminder", "action_reminder_opt_in", ("Répondez RAPPEL",), "D'accord, pas de rappel.")
    registry.register(reminder)
    assert registry.get("reminder") is not None and registry.names() == ["booking", "reminder"]
    text = "Voulez-vous un SMS la veille de la date limite ? Répondez RAPPEL."
    assert registry.pending([user("q"), bot(text), user("oui")]).action == "action_reminder_opt_in"
    named = bot("Voulez-vous un SMS la veille ?", offer="reminder")  # metadata from utter_message(offer=...)
    assert registry.pending([user("q"), named, user("oui")]).name == "reminder"
    mine = [OFFERS.get(name) for name in OFFERS.names()]
    assert all(o is not None and o.action != "action_reminder_opt_in" for o in mine)  # the assistant's own is untouched


def test_last_bot_turn_keeps_the_order_of_the_messages() -> None:
    events = [user("a"), bot("1"), user("b"), bot("2"), bot("3"), user("c")]
    assert [text for text, _ in last_bot_turn(events)] == ["2", "3"]
