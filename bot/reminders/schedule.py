"""When each reminder of a subscription is due: pure functions of the subscription, the rules and two instants.

Times are Europe/Paris wall-clock (``bot.clock.PARIS``): a reminder "due on the 28th" is due at midnight Paris
time that day, whatever the UTC offset (DST changes included); ``bot.reminders.policy`` then moves it to an
allowed moment. No clock is read here: the caller passes the instants.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Literal

from bot.clock import PARIS
from bot.reminders.models import Occurrence, Subscription
from bot.reminders.policy import is_opening_day
from bot.reminders.programmes import ActualisationRules, PermitRules, Programme, Programmes


def midnight(day: date) -> datetime:
    """The start of a day in Paris (an aware datetime; DST-correct)."""
    return datetime(day.year, day.month, day.day, tzinfo=PARIS)


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (clamped to the month's last day)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _months(start: datetime, end: datetime, before: int = 1) -> Iterator[tuple[int, int]]:
    """(year, month) from ``before`` months before ``start`` to the month of ``end``."""
    first = add_months(start.astimezone(PARIS).date().replace(day=1), -before)
    last = end.astimezone(PARIS).date().replace(day=1)
    while first <= last:
        yield first.year, first.month
        first = add_months(first, 1)


def actualisation_window(year: int, month: int, rules: ActualisationRules) -> tuple[date, date]:
    """The actualisation window of a month: (first day, last day), from the official calendar's overrides or
    the rule (opens on the 28th, the 26th in February; closes on the 15th of the next month at midnight)."""
    override = rules.overrides.get(f"{year:04d}-{month:02d}")
    if override:
        return override.opens, override.closes
    opens = date(year, month, rules.open_day_by_month.get(month, rules.open_day))
    closes = add_months(date(year, month, 1), 1).replace(day=rules.close_day)
    return opens, closes


def _actualisation(sub: Subscription, rules: ActualisationRules, start: datetime, end: datetime) -> list[Occurrence]:
    found = []
    for year, month in _months(start, end):
        opens, closes = actualisation_window(year, month, rules)
        period = f"{year:04d}-{month:02d}"
        last_call = closes - timedelta(days=rules.last_call_days_before_close)
        after_close = midnight(closes + timedelta(days=1))
        found.append(
            Occurrence(sub.id, "actualisation_open", period, midnight(opens), midnight(last_call), ends=closes)
        )
        found.append(
            Occurrence(sub.id, "actualisation_last_call", period, midnight(last_call), after_close, True, ends=closes)
        )
    return found


def quarterly_months(last_declaration: date, interval: int = 3) -> tuple[int, ...]:
    """The months of the year a declaration falls in, from the month of the last one."""
    return tuple(sorted({(last_declaration.month - 1 + k * interval) % 12 + 1 for k in range(12 // interval)}))


def _quarterly(sub: Subscription, remind_day: int, start: datetime, end: datetime) -> list[Occurrence]:
    found = []
    for year, month in _months(start, end, before=0):
        if month not in sub.months:
            continue
        first = date(year, month, 1)
        next_month = add_months(first, 1)
        found.append(
            Occurrence(
                sub.id,
                "quarterly_due",
                f"{year:04d}-{month:02d}",
                midnight(first.replace(day=remind_day)),
                midnight(next_month),
                ends=next_month - timedelta(days=1),
            )
        )
    return found


def permit_window(expiry: date, rules: PermitRules) -> tuple[date, date]:
    """The renewal window: (first day, last day) = 120th to 60th day before expiry (CESEDA R431-5)."""
    return expiry - timedelta(days=rules.opens_days_before), expiry - timedelta(days=rules.closes_days_before)


PermitStatus = Literal["ok", "late", "expired", "too_far"]


def permit_status(expiry: date, today: date, rules: PermitRules) -> PermitStatus:
    """``expired``: the card's date is past (guidance, no reminder); ``late``: the window has closed;
    ``too_far``: the window opens after the consent's year; ``ok``: reminders can be scheduled."""
    opens, closes = permit_window(expiry, rules)
    if expiry <= today:
        return "expired"
    if closes < today:
        return "late"
    if (expiry - today).days > rules.max_days_ahead:
        return "too_far"
    return "ok"


def _permit(sub: Subscription, rules: PermitRules) -> list[Occurrence]:
    assert sub.day is not None, "a residence-permit subscription has the card's expiry date"
    opens, closes = permit_window(sub.day, rules)
    second = opens + timedelta(days=rules.second_days_after_opening)
    last = closes - timedelta(days=rules.last_days_before_close)
    period = sub.day.isoformat()
    after_close = midnight(closes + timedelta(days=1))
    return [
        Occurrence(sub.id, "permit_open", period, midnight(opens), midnight(second), ends=closes),
        Occurrence(sub.id, "permit_second", period, midnight(second), midnight(last), True, ends=closes),
        Occurrence(sub.id, "permit_last", period, midnight(last), after_close, True, ends=closes),
    ]


def one_off_send_day(day: date) -> date:
    """The day a one-off reminder goes out: the date itself, or the opening day before it when the date is a
    Sunday or a public holiday (a reminder is never sent after its date)."""
    while not is_opening_day(day):
        day -= timedelta(days=1)
    return day


def _one_off(sub: Subscription) -> list[Occurrence]:
    assert sub.day is not None, "a one-off subscription has its date"
    send = one_off_send_day(sub.day)
    return [
        Occurrence(
            sub.id, "one_off", sub.day.isoformat(), midnight(send), midnight(sub.day + timedelta(days=1)), ends=sub.day
        )
    ]


def subscription_until(programme: Programme, consent_day: date, rules: Programmes, day: date | None = None) -> date:
    """The last day a subscription may send a reminder (then it ends and its data expires)."""
    if programme == Programme.ACTUALISATION:
        return add_months(consent_day, rules.actualisation.consent_months)
    if programme == Programme.QUARTERLY:
        return add_months(consent_day, rules.quarterly.consent_months)
    assert day is not None
    if programme == Programme.RESIDENCE_PERMIT:
        return permit_window(day, rules.permit)[1]
    return day


def occurrences(sub: Subscription, rules: Programmes, start: datetime, end: datetime) -> list[Occurrence]:
    """The reminders of ``sub`` due in [start, end), none due before its consent or after its last day."""
    if sub.programme == Programme.ACTUALISATION:
        found = _actualisation(sub, rules.actualisation, start, end)
    elif sub.programme == Programme.QUARTERLY:
        found = _quarterly(sub, rules.quarterly.remind_day, start, end)
    elif sub.programme == Programme.RESIDENCE_PERMIT:
        found = _permit(sub, rules.permit)
    else:
        found = _one_off(sub)
    return sorted(
        (o for o in found if start <= o.due < end and o.due >= sub.start and o.due.date() <= sub.until),
        key=lambda o: (o.due, o.deadline),
    )
