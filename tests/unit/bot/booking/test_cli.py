"""Mediator CLI: daily list (text and JSON) and iCalendar export that icalendar parses back."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import redis.asyncio as aioredis
from icalendar import Calendar

from bot.booking.cli import main
from bot.booking.models import Booking
from bot.booking.store import BookingStore

from .conftest import paris

NOW = paris(2026, 11, 27, 8, 0)


async def _seed(redis_url: str) -> list[Booking]:
    client = aioredis.Redis.from_url(redis_url)
    store = BookingStore(client)
    made = []
    for user, start, minutes, motive in (
        ("sms-33612345678", paris(2026, 12, 1, 9, 0), 30, "caf"),
        ("tg-42", paris(2026, 12, 1, 14, 0), 60, "naturalisation"),
        ("sms-33698765432", paris(2026, 12, 2, 9, 30), 30, "courrier"),
    ):
        end = start + timedelta(minutes=minutes)
        booking = Booking("", user, "lyon8", motive, start, end, created_at=NOW)
        made.append(await store.book(booking, capacity=2, limit=2, now=NOW))
    await store.cancel(made[2].ref, made[2].user)
    await client.close()
    return made


@pytest.fixture
def seeded(redis_url: str, monkeypatch: pytest.MonkeyPatch) -> list[Booking]:
    monkeypatch.setenv("REDIS_URL", redis_url)
    return asyncio.run(_seed(redis_url))


def test_list_day_as_text(seeded: list[Booking], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list", "--site", "lyon8", "--day", "2026-12-01"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].startswith(f"09:00-09:30  {seeded[0].ref}  CAF  SMS ")
    assert "12345678" not in lines[0]  # phone number masked
    assert lines[1].startswith(f"14:00-15:00  {seeded[1].ref}  Naturalisation  Telegram")


def test_list_as_json_and_cancelled_are_hidden(seeded: list[Booking], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list", "--site", "lyon8", "--day", "2026-12-02", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert main(["list", "--site", "lyon8", "--day", "2026-12-01", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["ref"] for r in rows] == [seeded[0].ref, seeded[1].ref]
    assert rows[0]["start"] == "2026-12-01T09:00:00+01:00"


def test_unknown_site(seeded: list[Booking], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list", "--site", "nowhere", "--day", "2026-12-01"]) == 2


def test_ics_export_parses(seeded: list[Booking], tmp_path: Path) -> None:
    out = tmp_path / "lyon8.ics"
    assert main(["ics", "--site", "lyon8", "--out", str(out)]) == 0
    calendar = Calendar.from_ical(out.read_bytes())
    events = sorted(calendar.walk("VEVENT"), key=lambda e: e.decoded("dtstart"))
    assert [str(e["uid"]) for e in events] == [
        f"{seeded[0].ref}@pimms-booking",
        f"{seeded[1].ref}@pimms-booking",
    ]
    start = events[0].decoded("dtstart")
    assert isinstance(start, datetime) and start == paris(2026, 12, 1, 9, 0)
    assert events[1].decoded("dtend") == paris(2026, 12, 1, 15, 0)
    assert "10 rue de l'Exemple" in str(events[0]["location"])
