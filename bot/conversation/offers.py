"""What an answer offers ("Écrivez RDV", "répondez PLUS", "écrivez MEDIATEUR") and which offer a yes takes.

An offer is recognised in the bot messages of the latest turn, by a marker in their text (accents, case and
punctuation ignored) or by an explicit ``offer`` name in a message's metadata (``{"offer": "reminder"}``).
A yes to the latest turn takes the offer named last in it (the closing call to action); a no closes it.
Only the turn just before the resident's reply counts: once they wrote something else, the offer is gone.

Other features add their offers with :func:`register` (or ``OfferRegistry.register`` on their own
registry), naming the Rasa action that takes it, e.g. a reminder opt-in::

    register(Offer("reminder", action="action_reminder_opt_in", markers=("repondez rappel",),
                   declined="D'accord, pas de rappel."))
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from bot.text import normalize


@dataclass(frozen=True)
class Offer:
    """Something an answer offers, and how the assistant takes it up or closes it."""

    name: str
    action: str  # the Rasa action that takes the offer (a form name starts the form)
    markers: tuple[str, ...]  # normalised phrases that make a message an offer (``bot.text.normalize``)
    declined: str  # what the resident reads after a no
    runs_on_no: bool = False  # a no runs ``action`` too (the feature closes its own offer, e.g. a stored one)


@dataclass(frozen=True)
class Offered:
    """One offer found in a turn, with where it was named (later is closer to the reply)."""

    offer: Offer
    position: int


BOOKING = Offer(
    "booking",
    action="booking_form",
    markers=("ecrivez rdv", "repondez rdv", "ou rdv"),
    declined="D'accord, pas de rendez-vous pour le moment. Posez-moi une autre question si besoin.",
)
STEPS = Offer(
    "steps",
    action="action_faq_more",
    markers=("repondez plus", "ecrivez plus"),
    declined="D'accord. Avez-vous une autre question ?",
)
MEDIATOR = Offer(
    "mediator",
    action="action_handoff_request",
    markers=("ecrivez mediateur", "repondez mediateur"),
    declined="D'accord, je ne vous passe pas de médiateur. Posez-moi votre question si besoin.",
)

# Answers that end something: "Écrivez RDV quand vous voulez" there is a reminder, not an offer to take now.
CLOSING_RESPONSES = frozenset(
    {"utter_booking_stopped", "utter_booking_move_stopped", "utter_booking_cancelled", "utter_goodbye"}
)


class OfferRegistry:
    """The offers the assistant knows, by name."""

    def __init__(self, offers: Iterable[Offer] = ()) -> None:
        self._offers: dict[str, Offer] = {}
        for offer in offers:
            self.register(offer)

    def register(self, offer: Offer) -> None:
        """Add (or replace) an offer; its markers are normalised here."""
        markers = tuple(normalize(marker) for marker in offer.markers if normalize(marker))
        self._offers[offer.name] = Offer(offer.name, offer.action, markers, offer.declined, offer.runs_on_no)

    def get(self, name: str) -> Offer | None:
        """An offer by name."""
        return self._offers.get(name)

    def names(self) -> list[str]:
        """Registered offer names."""
        return list(self._offers)

    def in_message(self, text: str, metadata: dict[str, Any] | None = None) -> list[Offered]:
        """Offers one bot message makes, in the order they are named."""
        meta = metadata or {}
        if str(meta.get("utter_action") or "") in CLOSING_RESPONSES:
            return []
        found: dict[str, Offered] = {}
        norm = f" {normalize(text)} "
        for offer in self._offers.values():
            for marker in offer.markers:
                index = norm.rfind(f" {marker} ")
                if index >= 0 and (offer.name not in found or found[offer.name].position < index):
                    found[offer.name] = Offered(offer, index)
        explicit = self._offers.get(str(meta.get("offer") or ""))
        if explicit is not None:
            found[explicit.name] = Offered(explicit, len(norm))
        return sorted(found.values(), key=lambda item: item.position)

    def pending(self, events: Sequence[dict[str, Any]]) -> Offer | None:
        """The offer a yes in the latest user message would take: named last in the turn just before it."""
        turn = last_bot_turn(events)
        offered: list[Offered] = []
        base = 0
        for text, metadata in turn:
            for item in self.in_message(text, metadata):
                offered.append(Offered(item.offer, base + item.position))
            base += len(text) + 2
        return max(offered, key=lambda item: item.position).offer if offered else None


def last_bot_turn(events: Sequence[dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    """Texts and metadata of the bot messages between the two latest user messages, in order."""
    messages: list[tuple[str, dict[str, Any]]] = []
    seen_current = False
    for event in reversed(events):
        kind = event.get("event")
        if kind == "user":
            if seen_current:
                break
            seen_current = True
        elif kind == "bot" and seen_current:
            messages.append((str(event.get("text") or ""), dict(event.get("metadata") or {})))
    return list(reversed(messages))


OFFERS = OfferRegistry((BOOKING, STEPS, MEDIATOR))


def register(offer: Offer) -> None:
    """Add an offer to the assistant's registry (a feature's module calls it at import)."""
    OFFERS.register(offer)
