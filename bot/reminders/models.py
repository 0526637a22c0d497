"""A resident's subscription to a reminder programme, its consent record, and one reminder to send."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from bot.reminders.programmes import Programme

GivenBy = Literal["resident", "mediator"]


@dataclass(frozen=True)
class Consent:
    """Proof of consent: when, to what programme, the exact text accepted, on which channel, given by whom.

    ``given_by`` is ``"mediator"`` when a mediator recorded it at the counter with the resident present.
    """

    at: datetime
    programme: Programme
    text: str
    channel: str
    given_by: GivenBy = "resident"

    def to_dict(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "programme": self.programme.value,
            "text": self.text,
            "channel": self.channel,
            "given_by": self.given_by,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Consent:
        given_by: GivenBy = "mediator" if data.get("given_by") == "mediator" else "resident"
        return cls(
            datetime.fromisoformat(data["at"]), Programme(data["programme"]), data["text"], data["channel"], given_by
        )


@dataclass(frozen=True)
class Subscription:
    """What to remind one resident of, until when.

    - actualisation: no parameter;
    - quarterly: ``months`` (1-12) in which a declaration falls;
    - residence_permit: ``day`` = the card's expiry date;
    - one_off: ``day`` = the date the resident gave.
    """

    id: str
    sender_id: str
    programme: Programme
    consent: Consent
    until: date
    months: tuple[int, ...] = ()
    day: date | None = None

    @property
    def start(self) -> datetime:
        """Reminders due before the consent are never sent."""
        return self.consent.at

    def to_json(self) -> str:
        return json.dumps(
            {
                "id": self.id,
                "sender_id": self.sender_id,
                "programme": self.programme.value,
                "consent": self.consent.to_dict(),
                "until": self.until.isoformat(),
                "months": list(self.months),
                "day": self.day.isoformat() if self.day else None,
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, raw: str | bytes) -> Subscription:
        data = json.loads(raw)
        return cls(
            id=data["id"],
            sender_id=data["sender_id"],
            programme=Programme(data["programme"]),
            consent=Consent.from_dict(data["consent"]),
            until=date.fromisoformat(data["until"]),
            months=tuple(int(m) for m in data.get("months") or ()),
            day=date.fromisoformat(data["day"]) if data.get("day") else None,
        )


Kind = Literal[
    "actualisation_open",
    "actualisation_last_call",
    "quarterly_due",
    "permit_open",
    "permit_second",
    "permit_last",
    "one_off",
]


@dataclass(frozen=True)
class Occurrence:
    """One reminder of one subscription: due at ``due`` (Paris), never sent at or after ``deadline``.

    ``key`` is unique per subscription and period (the claim that makes it sent at most once);
    ``period`` groups the reminders a FAIT answer silences (e.g. the actualisation of one month);
    ``skip_if_done``: not sent when the resident answered FAIT for that period (the last call).
    """

    subscription_id: str
    kind: Kind
    period: str
    due: datetime
    deadline: datetime
    skip_if_done: bool = False
    ends: date | None = None  # the date the text names (window closes, declaration month ends...)

    @property
    def key(self) -> str:
        return f"{self.subscription_id}:{self.period}:{self.kind}"
