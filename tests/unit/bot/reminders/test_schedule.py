"""When reminders are due: the actualisation window (February, overrides), quarterly months, the permit window."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

from bot.reminders.programmes import Programme, Programmes, WindowOverride
from bot.reminders.schedule import actualisation_window, occurrences, one_off_send_day, quarterly_months

from .conftest import make, paris


def test_actualisation_opens_on_the_28th_and_the_26th_in_february(rules: Programmes) -> None:
    assert actualisation_window(2027, 1, rules.actualisation) == (date(2027, 1, 28), date(2027, 2, 15))
    assert actualisation_window(2027, 2, rules.actualisation) == (date(2027, 2, 26), date(2027, 3, 15))
    assert actualisation_window(2026, 12, rules.actualisation) == (date(2026, 12, 28), date(2027, 1, 15))


def test_an_official_calendar_exception_listed_in_config_wins(rules: Programmes) -> None:
    override = {"2027-05": WindowOverride(date(2027, 5, 27), date(2027, 6, 16))}
    changed = dataclasses.replace(rules.actualisation, overrides=override)
    assert actualisation_window(2027, 5, changed) == (date(2027, 5, 27), date(2027, 6, 16))
    assert actualisation_window(2027, 4, changed) == (date(2027, 4, 28), date(2027, 5, 15))


def test_actualisation_occurrences_of_a_month(rules: Programmes) -> None:
    sub = make(rules, Programme.ACTUALISATION, paris(2027, 1, 10, 11))
    found = occurrences(sub, rules, paris(2027, 1, 10, 11), paris(2027, 3, 1))
    assert [(o.kind, o.period, o.due) for o in found] == [
        ("actualisation_last_call", "2026-12", paris(2027, 1, 12)),  # December's window is still open
        ("actualisation_open", "2027-01", paris(2027, 1, 28)),
        ("actualisation_last_call", "2027-01", paris(2027, 2, 12)),
        ("actualisation_open", "2027-02", paris(2027, 2, 26)),
    ]
    last_call = found[2]
    assert last_call.skip_if_done and last_call.deadline == paris(2027, 2, 16) and last_call.ends == date(2027, 2, 15)
    assert found[1].deadline == last_call.due  # the opening reminder is never sent after the last call's day


def test_nothing_due_before_the_consent_nor_after_its_year(rules: Programmes) -> None:
    sub = make(rules, Programme.ACTUALISATION, paris(2027, 1, 28, 10))
    found = occurrences(sub, rules, paris(2026, 1, 1), paris(2029, 1, 1))
    # the window was open at consent: its opening is past, its last call is the first reminder
    assert (found[0].kind, found[0].period, found[0].due) == ("actualisation_last_call", "2027-01", paris(2027, 2, 12))
    assert min(o.due for o in found) >= sub.start
    assert max(o.due for o in found).date() <= sub.until == date(2028, 1, 28)


def test_quarterly_months_from_the_last_declaration(rules: Programmes) -> None:
    assert quarterly_months(date(2026, 11, 20)) == (2, 5, 8, 11)
    sub = make(rules, Programme.QUARTERLY, paris(2026, 12, 7, 10), months=(3, 6, 9, 12))
    found = occurrences(sub, rules, sub.start, paris(2027, 7, 1))
    assert [(o.period, o.due, o.deadline) for o in found] == [
        ("2027-03", paris(2027, 3, 1), paris(2027, 4, 1)),
        ("2027-06", paris(2027, 6, 1), paris(2027, 7, 1)),
    ]


def test_permit_reminders_120_90_and_74_days_before_expiry(rules: Programmes) -> None:
    expiry = date(2027, 9, 30)
    sub = make(rules, Programme.RESIDENCE_PERMIT, paris(2026, 12, 7, 10), day=expiry)
    found = occurrences(sub, rules, sub.start, paris(2028, 1, 1))
    assert [(o.kind, o.due.date()) for o in found] == [
        ("permit_open", expiry - timedelta(days=120)),
        ("permit_second", expiry - timedelta(days=90)),
        ("permit_last", expiry - timedelta(days=74)),
    ]
    assert all(o.ends == expiry - timedelta(days=60) for o in found)
    assert found[-1].deadline == paris(2027, 8, 2)  # after the window's last day (1 August), never sent


def test_a_one_off_on_a_holiday_goes_the_opening_day_before(rules: Programmes) -> None:
    assert one_off_send_day(date(2027, 5, 1)) == date(2027, 4, 30)  # 1 May 2027, a Saturday and a holiday
    assert one_off_send_day(date(2027, 1, 17)) == date(2027, 1, 16)  # a Sunday
    sub = make(rules, Programme.ONE_OFF, paris(2026, 12, 7, 10), day=date(2027, 5, 1))
    (only,) = occurrences(sub, rules, sub.start, paris(2028, 1, 1))
    assert only.due == paris(2027, 4, 30) and only.deadline == paris(2027, 5, 2)
