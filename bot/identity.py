"""The channel registry: sender ids (Rasa conversation ids) <-> channel and address.

One row per channel (``REGISTRY``) says how its sender ids look (prefix), what mediators read (French label),
how its address is masked in logs and on screens (never a full phone number or chat id), what its buttons
become and whether its provider vouches for the sender. The row's ``name`` is also the key of its transport
in ``OutboundRouter.transports`` (``bot/outbound/transports.py``) and of its inbound journal.

Code outside this module asks the registry (``kind_of(sender_id)`` and the functions below) and never tests
a prefix or a channel name itself. Adding a channel is one row here plus its own modules (connector,
transport) and settings: docs/architecture.md, "How to add a channel".
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Literal

from bot.phone import mask, normalize_e164

Channel = Literal["sms", "whatsapp", "telegram", "callback"]


class InvalidAddress(ValueError):
    """Raised when an address cannot become a sender id."""


def mask_chat_id(chat_id: str) -> str:
    """``"5123456789"`` -> ``"********89"`` (enough to tell chats apart in a log, not to reach them)."""
    text = str(chat_id)
    return "*" * max(0, len(text) - 2) + text[-2:]


@dataclass(frozen=True)
class ChannelKind(ABC):
    """One row of the registry. Subclasses say what an address of the channel is."""

    name: Channel  # transport key (``OutboundRouter.transports``), journal name, ``channel`` of activity events
    prefix: str  # sender ids of this channel start with it ("" for the catch-all)
    label: str  # what mediators read (console, reports, agenda)
    numbered_buttons: bool = False  # buttons written as "1. Oui" in the text, the reply "1" mapped back
    authenticated: bool = True  # the provider vouches for the sender (a button may confirm an erasure)
    journalled: bool = True  # its webhooks wait in an inbound journal (bot/inbound/journal.py) until their turn
    aliases: tuple[str, ...] = ()  # what an operator may type before an address (``telegram:123``)

    def owns(self, sender_id: str) -> bool:
        """Whether ``sender_id`` is one of this channel's."""
        return sender_id.startswith(self.prefix) and self.valid_rest(sender_id[len(self.prefix) :])

    @abstractmethod
    def valid_rest(self, rest: str) -> bool:
        """Whether what follows the prefix is a well-formed address."""

    @abstractmethod
    def sender_id(self, address: int | str) -> str:
        """The sender id of an address; ``InvalidAddress`` when it is not one of this channel."""

    def address(self, sender_id: str) -> str:
        """Where the provider reaches the sender (only for a sender id this channel ``owns``)."""
        return sender_id[len(self.prefix) :]

    @abstractmethod
    def mask(self, address: str) -> str:
        """The address as logs and screens may show it."""


@dataclass(frozen=True)
class PhoneChannel(ChannelKind):
    """Addresses are phone numbers: ``<prefix><E.164 digits>``, address ``+<digits>``."""

    def valid_rest(self, rest: str) -> bool:
        """E.164 digits."""
        return rest.isdigit()

    def sender_id(self, address: int | str) -> str:
        """``"+33612345678"`` or ``"06 12 34 56 78"`` -> ``"<prefix>33612345678"``."""
        e164 = normalize_e164(str(address))
        if e164 is None:
            raise InvalidAddress("not a phone number")
        return self.prefix + e164.lstrip("+")

    def address(self, sender_id: str) -> str:
        """The E.164 number."""
        return "+" + sender_id[len(self.prefix) :]

    def mask(self, address: str) -> str:
        """``"+33 6 ** ** ** 78"``."""
        return mask(address)


@dataclass(frozen=True)
class ChatChannel(ChannelKind):
    """Addresses are numeric chat ids (negative for groups): ``<prefix><chat id>``."""

    def valid_rest(self, rest: str) -> bool:
        """An integer."""
        return rest.lstrip("-").isdigit() and rest.count("-") <= 1

    def sender_id(self, address: int | str) -> str:
        """``42`` -> ``"<prefix>42"`` (group chat ids are negative: ``"<prefix>-100123"``)."""
        text = str(address).strip()
        if not text.lstrip("-").isdigit():
            raise InvalidAddress(f"not a {self.label} chat id")
        return self.prefix + str(int(text))

    def mask(self, address: str) -> str:
        """``"********89"``."""
        return mask_chat_id(address)


@dataclass(frozen=True)
class FreeChannel(ChannelKind):
    """The catch-all: any other sender id (a REST client's free text), its own address."""

    def valid_rest(self, rest: str) -> bool:
        """Anything."""
        return True

    def sender_id(self, address: int | str) -> str:
        """The address itself."""
        return str(address)

    def mask(self, address: str) -> str:
        """Shown as it is: a client's own identifier, not a phone number or a chat id."""
        return address


SMS = PhoneChannel("sms", "sms-", "SMS", numbered_buttons=True, authenticated=False)
TELEGRAM = ChatChannel("telegram", "tg-", "Telegram", aliases=("telegram:", "tg:"))
# WhatsApp through Twilio (channels/whatsapp.py, bot/whatsapp/): a phone number like SMS; the erasure is
# confirmed with the typed code, as by SMS.
WHATSAPP = PhoneChannel(
    "whatsapp", "wa-", "WhatsApp", numbered_buttons=True, authenticated=False, aliases=("whatsapp:",)
)
CALLBACK = FreeChannel("callback", "", "Web", journalled=False, aliases=("rest:",))

REGISTRY: tuple[ChannelKind, ...] = (SMS, WHATSAPP, TELEGRAM, CALLBACK)  # the catch-all last
NAMES: tuple[Channel, ...] = tuple(kind.name for kind in REGISTRY)
LABELS: dict[str, str] = {kind.name: kind.label for kind in REGISTRY}

SMS_PREFIX = SMS.prefix
TELEGRAM_PREFIX = TELEGRAM.prefix


def kind_of(sender_id: str) -> ChannelKind:
    """The registry row of the channel a conversation lives on, from its sender id."""
    return next(kind for kind in REGISTRY if kind.owns(sender_id))


def channel_of(sender_id: str) -> Channel:
    """The channel a conversation lives on, from its sender-id prefix."""
    return kind_of(sender_id).name


def address_of(sender_id: str) -> str:
    """Where to reach a sender: E.164 number, chat id, or the sender id itself."""
    return kind_of(sender_id).address(sender_id)


def by_name(name: str) -> ChannelKind | None:
    """The row of a channel name (as stored in activity events and dead letters), None when unknown."""
    return next((kind for kind in REGISTRY if kind.name == name), None)


def label_of(name: str) -> str:
    """What mediators read for a channel name (the name itself when unknown)."""
    kind = by_name(name)
    return kind.label if kind else name


def claimed_by(text: str) -> ChannelKind | None:
    """The channel whose prefix ``text`` starts with, even when the rest is malformed (catch-all excluded)."""
    return next((kind for kind in REGISTRY if kind.prefix and text.startswith(kind.prefix)), None)


def masked(sender_id: str) -> str:
    """A sender's address as screens show it (``+33 6 ** ** ** 78``, ``********89``, a REST id as it is)."""
    kind = kind_of(sender_id)
    return kind.mask(kind.address(sender_id))


def describe(sender_id: str) -> str:
    """A sender id safe for logs: ``sms +33 6 ** ** ** 78``, ``telegram ********89``, a REST id as it is."""
    kind = kind_of(sender_id)
    return f"{kind.name} {masked(sender_id)}" if kind.prefix else sender_id


def contact(sender_id: str) -> str:
    """How mediators see that a person can be reached: ``SMS +33 6 ** ** ** 78``, ``Telegram ********89``."""
    kind = kind_of(sender_id)
    return f"{kind.label} {masked(sender_id)}" if kind.prefix else sender_id


def sender_id_for_sms(phone: str) -> str:
    """``"+33612345678"`` -> ``"sms-33612345678"`` (E.164 digits, no ``+``)."""
    return SMS.sender_id(phone)


def sender_id_for_telegram(chat_id: int | str) -> str:
    """``42`` -> ``"tg-42"`` (group chat ids are negative: ``"tg--100123"``)."""
    return TELEGRAM.sender_id(chat_id)
