"""Fixed moments and subscriptions for the reminder tests (Europe/Paris, never the wall clock)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from bot.clock import PARIS
from bot.reminders.consent import subscribe
from bot.reminders.models import Subscription
from bot.reminders.programmes import Programme, Programmes, load_programmes

SMS_USER = "sms-33600000001"
TG_USER = "tg-777"


def paris(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)


@pytest.fixture(scope="session")
def rules() -> Programmes:
    return load_programmes()


def make(
    rules: Programmes,
    programme: Programme,
    at: datetime,
    sender: str = SMS_USER,
    months: tuple[int, ...] = (),
    day: date | None = None,
    ident: str = "s1",
) -> Subscription:
    sub = subscribe(sender, programme, "sms", at, rules, months=months, day=day, new_id=lambda: ident)
    assert isinstance(sub, Subscription)
    return sub
