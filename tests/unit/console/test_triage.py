"""French, Paris-time labels of the console: relative times across midnight, New Year and a DST change."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.console.triage import history_line, when_label

PARIS = ZoneInfo("Europe/Paris")


def ts(*args: int) -> float:
    return datetime(*args, tzinfo=PARIS).timestamp()


def test_minutes_then_today_then_yesterday_then_date() -> None:
    now = ts(2026, 11, 27, 15, 0)
    assert when_label(now - 20, now, PARIS) == "à l'instant"
    assert when_label(now - 14 * 60, now, PARIS) == "il y a 14 min"
    assert when_label(ts(2026, 11, 27, 9, 5), now, PARIS) == "aujourd'hui 9h05"
    assert when_label(ts(2026, 11, 26, 18, 2), now, PARIS) == "hier 18h02"
    assert when_label(ts(2026, 11, 20, 8, 30), now, PARIS) == "20/11 à 8h30"


def test_new_year_and_paris_midnight_not_utc() -> None:
    now = ts(2027, 1, 1, 0, 30)  # 23:30 UTC on 31 December
    assert when_label(ts(2026, 12, 31, 23, 45), now, PARIS) == "il y a 45 min"
    assert when_label(ts(2026, 12, 31, 23, 0), now, PARIS) == "hier 23h00"
    assert when_label(ts(2026, 12, 31, 18, 2), now, PARIS) == "hier 18h02"


def test_across_the_autumn_dst_change() -> None:
    now = ts(2026, 10, 25, 10, 0)  # clocks went back at 03:00 that night
    assert when_label(ts(2026, 10, 24, 23, 15), now, PARIS) == "hier 23h15"
    assert when_label(now - 90 * 60, now, PARIS) == "aujourd'hui 8h30"


def test_history_is_french_with_paris_time() -> None:
    now = ts(2026, 11, 27, 15, 0)
    entry = {"at": "2026-11-27T13:45:23+00:00", "actor": "assistant", "action": "request", "detail": "urgent"}
    assert history_line(entry, now, PARIS) == "il y a 14 min : L'assistant a demandé un médiateur (danger)."
    entry = {"at": "2026-11-26T17:02:00+00:00", "actor": "alice", "action": "claim", "detail": ""}
    assert history_line(entry, now, PARIS) == "hier 18h02 : alice a pris la conversation en charge."
    # Issue 28: sentences, not "amina · close" or "reprise par un superviseur amina".
    at = "2026-11-27T13:59:30+00:00"
    steps = [
        ("amina", "close", "", "amina a clos la conversation."),
        ("chef", "take_over", "amina", "chef a repris la conversation d'amina."),
        (
            "resident",
            "escalate",
            "urgent",
            "L'habitant a écrit un message de danger : la demande est passée en urgence.",
        ),
        ("console", "resumed", "", "L'assistant a repris la conversation."),
        ("alice", "transfer", "bob", "alice a transféré la conversation à bob."),
    ]
    for actor, action, detail, sentence in steps:
        entry = {"at": at, "actor": actor, "action": action, "detail": detail}
        assert history_line(entry, now, PARIS) == "à l'instant : " + sentence
