"""A scripted week through the features' own recording paths gives exactly its numbers in HTML and CSV."""

from __future__ import annotations

import asyncio
import csv
import io
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import redis.asyncio as aioredis

from actions.fallback import ActionFallback
from actions.handoff import ActionHandoffRequest, ActionHandoffUrgent
from actions.session_start import ActionSessionStart
from bot.activity.log import CONVERSATION, FIELDS, ActivityLog
from bot.booking.motives import load_motives
from bot.handoff.rasa_api import RasaApi
from bot.handoff.service import HandoffService
from bot.optout import OptOutStore
from bot.reports.cli import main
from bot.reports.render import report_csv, report_html
from bot.reports.report import fetch_report, motive_labels
from bot.security.pseudonym_key import PseudonymKey
from stores.event_broker import ActivityEventBroker
from tests.fakes.rasa_server import FakeRasa
from tests.trackers import user
from tests.unit.bot.activity.scripted import (
    PARIS,
    Clock,
    Outbox,
    World,
    make_world,
    run_action,
    tracker,
)

A, B, C = "sms-33611111111", "sms-33622222222", "sms-33633333333"
T1, T2 = "tg-1001", "tg-1002"
MONDAY, SUNDAY = date(2026, 11, 23), date(2026, 11, 29)


async def conversation(world: World, sender_id: str, *when: int) -> None:
    world.clock.set(*when)
    await run_action(ActionSessionStart(), tracker(sender_id, []))


async def answer(broker: ActivityEventBroker, world: World, sender_id: str, topic: str, *when: int) -> None:
    at = datetime(*when, tzinfo=PARIS).timestamp()
    broker.publish({"sender_id": sender_id, "event": "bot", "timestamp": at, "metadata": {"utter_action": topic}})


async def script_week(world: World, rasa: FakeRasa, broker: ActivityEventBroker, outbox: Outbox) -> None:
    # Outside the week (Paris days): the evening before and the night after.
    await conversation(world, "sms-33699999999", 2026, 11, 22, 23, 50)
    await conversation(world, "sms-33699999999", 2026, 11, 30, 0, 5)
    await answer(broker, world, T2, "utter_faq/caf_rsa", 2026, 11, 30, 0, 10)
    # Conversations: 4 by SMS (3 residents), 2 on Telegram. 00:30 Paris on Monday is still Sunday in UTC.
    await conversation(world, A, 2026, 11, 23, 0, 30)
    await conversation(world, T1, 2026, 11, 23, 9, 0)
    await conversation(world, B, 2026, 11, 24, 8, 0)
    await conversation(world, A, 2026, 11, 25, 8, 0)
    await conversation(world, C, 2026, 11, 26, 8, 0)
    await conversation(world, T2, 2026, 11, 27, 8, 0)
    # Questions answered: CAF 3, France Travail 2, séjour 1, énergie 1, logement 1, impôts 1 (9); a greeting is not one.
    for topic, day in (
        ("caf_rsa", 23),
        ("caf_dtr", 23),
        ("caf_paiement_date", 24),
        ("ft_actualisation", 24),
        ("ft_inscription", 25),
        ("natu_delai", 25),
        ("cheque_energie", 26),
        ("caf_logement", 26),
        ("impots_declarer", 27),
    ):
        await answer(broker, world, A, "utter_faq/" + topic, 2026, 11, day, 11, 0)
    await answer(broker, world, A, "utter_greet", 2026, 11, 23, 11, 5)
    await broker.close()

    # Hand-offs: asked 2, not understood twice 1 (3 misunderstood messages), danger 1 (violence).
    world.clock.set(2026, 11, 23, 10, 0)
    await run_action(ActionHandoffRequest(), tracker(A, [user("un conseiller", "human_handoff")]))
    world.clock.set(2026, 11, 24, 14, 0)
    await run_action(ActionHandoffRequest(), tracker(T1, [user("parler a qqn", "human_handoff")]))
    world.clock.set(2026, 11, 25, 8, 30)
    await run_action(ActionFallback(), tracker(C, [user("xyz", "nlu_fallback")]))
    world.clock.set(2026, 11, 25, 9, 0)
    await run_action(ActionFallback(), tracker(B, [user("blabla", "nlu_fallback")]))
    first = [user("blabla", "nlu_fallback"), {"event": "bot", "text": "?"}, user("meteo", "out_of_scope")]
    await run_action(ActionFallback(), tracker(B, first))
    world.clock.set(2026, 11, 26, 16, 0)
    await run_action(ActionHandoffUrgent(), tracker(C, [user("il me frappe", "danger_violence")]))

    # Mediators: waits 4, 10 and 30 minutes; 2 closed, 1 handed back; B stops waiting.
    service = HandoffService(world.handoffs, RasaApi(rasa.url, rasa.token), outbox, world.activity)
    try:
        for sender_id, start, minutes in ((A, (2026, 11, 23, 10, 0), 4), (T1, (2026, 11, 24, 14, 0), 10)):
            world.clock.set(*start)
            world.clock.advance(minutes=minutes)
            await service.claim(sender_id, "alice")
        world.clock.set(2026, 11, 26, 16, 30)
        await service.claim(C, "bob")
        await service.close(A, "alice")
        await service.hand_back(T1, "alice")
        await service.close(C, "bob")
        await service.cancel_by_resident(B)
    finally:
        await service.rasa.close()

    # Bookings: 5 made, 1 moved, 1 cancelled by the counter; 2 attended, 1 no-show (a CAF one).
    world.clock.set(2026, 11, 23, 8, 0)
    bookings = world.bookings
    caf_a = await bookings.book(A, "lyon8", "caf", datetime(2026, 11, 24, 10, 0, tzinfo=PARIS))
    caf_b = await bookings.book(B, "lyon8", "caf", datetime(2026, 11, 24, 10, 30, tzinfo=PARIS))
    ft_t1 = await bookings.book(T1, "lyon8", "france_travail", datetime(2026, 11, 24, 14, 0, tzinfo=PARIS))
    titre = await bookings.book(C, "lyon8", "titre_sejour", datetime(2026, 11, 25, 9, 0, tzinfo=PARIS))
    natu = await bookings.book(A, "lyon8", "naturalisation", datetime(2026, 11, 26, 9, 0, tzinfo=PARIS))
    await bookings.move(A, natu.ref, datetime(2026, 11, 26, 10, 0, tzinfo=PARIS))
    world.clock.set(2026, 11, 24, 17, 0)
    await world.agenda.mark(caf_a.ref, "attended")
    await world.agenda.mark(caf_b.ref, "no_show")
    await world.agenda.mark(ft_t1.ref, "attended")
    await world.agenda.cancel(titre.ref)

    # One STOP (a second STOP from the same number is not a second opt-out).
    world.clock.set(2026, 11, 27, 12, 0)
    optout = OptOutStore(world.redis, world.activity)
    await optout.opt_out(B)
    await optout.opt_out(B)


def html_rows(html: str) -> dict[str, list[str]]:
    """Every table row of the report: item -> cells (periods then total)."""
    rows = {}
    for item, body in re.findall(r'<tr data-item="([^"]+)">(.*?)</tr>', html, flags=re.S):
        rows[item.replace("&#39;", "'")] = re.findall(r"<td>(.*?)</td>", body)
    return rows


EXPECTED = {
    "conversations SMS": "4",
    "habitants joints SMS": "3",
    "conversations Telegram": "2",
    "habitants joints Telegram": "2",
    "conversations (total)": "6",
    "habitants joints (total)": "5",
    "CAF": "3",
    "France Travail": "2",
    "Séjour / naturalisation": "1",
    "Énergie / eau": "1",
    "Logement": "1",
    "Impôts": "1",
    "questions répondues (total)": "9",
    "messages non compris": "3",
    "demandé": "2",
    "non compris deux fois": "1",
    "danger": "1",
    "passages (total)": "4",
    "attente médiane (min)": "10.0",
    "attente 90e centile (min)": "30.0",
    "clôturés": "2",
    "rendus à l'assistant": "1",
    "annulés par l'habitant": "1",
    "pris": "5",
    "déplacés": "1",
    "annulés": "1",
    "honorés": "2",
    "absences": "1",
    "taux d'absence (%)": "33.3",
    "CAF : pris": "2",
    "CAF : absences": "1",
    "CAF : taux d'absence (%)": "50.0",
    "violences": "1",
    "alertes danger (total)": "1",
    "STOP reçus": "1",
}


@pytest.fixture
async def world(redis_url: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    outbox, rasa = Outbox(), FakeRasa()
    built = make_world(redis_url, Clock(datetime(2026, 11, 23, 0, 0, tzinfo=PARIS)), monkeypatch, outbox)
    broker = ActivityEventBroker(ActivityLog(aioredis.Redis.from_url(redis_url)))
    await script_week(built, rasa, broker, outbox)
    yield built, outbox
    rasa.close()
    await built.redis.close()


@pytest.mark.timeout(120)
async def test_scripted_week_gives_exactly_its_numbers_in_csv_and_html(world: Any) -> None:
    built, outbox = world
    report = await fetch_report(built.activity, built.bookings.sites, MONDAY, SUNDAY, "week")
    labels = motive_labels(load_motives())
    table = list(csv.reader(io.StringIO(report_csv(report, labels))))
    assert table[0] == ["section", "indicateur", "semaine du 23/11/2026", "total"]
    values = {row[1]: row[3] for row in table[1:]}
    for item, expected in EXPECTED.items():
        assert values[item] == expected, item
    html = report_html(report, labels)
    cells = html_rows(html)
    for item, expected in EXPECTED.items():
        assert cells[item][-1] == expected.replace(".", ","), item
    assert html.count("<svg") == 3 and "<script" not in html and 'src="http' not in html
    # The resident whose appointment the counter cancelled was told, through their own channel.
    assert [sid for sid, _ in outbox.sent if "annulé par le PIMMS" in _] == [C]


async def test_the_log_holds_no_number_and_no_text(world: Any) -> None:
    built, _ = world
    events = await built.activity.events(0, 4e9)
    dump = repr(events)
    for text in ("un conseiller", "il me frappe", "blabla"):
        assert text not in dump
    # Numbers and chat ids as whole tokens: the opaque ids are hex digests, which may contain "1002" by chance.
    for number in ("33611111111", "33622222222", "33633333333", "1001", "1002"):
        assert not re.search(rf"\b{number}\b", dump), number
    assert {e["kind"] for e in events} >= {"conversation", "question", "handoff", "booking", "optout"}


async def test_no_event_names_a_resident_and_no_key_is_in_redis(world: Any) -> None:
    """A danger alert or a topic cannot be traced back to a person: no pseudonym per event, only the hour, and
    the key of the residents' counters is not in Redis (where the AOF and anyone with Redis access would see it)."""
    built, _ = world
    events = await built.activity.events(0, 4e9)
    allowed = {"id", "kind", "at", "channel"} | FIELDS
    assert all(set(event) <= allowed for event in events), [set(e) - allowed for e in events]
    assert all(event["at"] % 3600 == 0 for event in events)
    names = [k.decode() async for k in built.redis.scan_iter(match="pimms:activity:*")]
    assert not [n for n in names if n.startswith("pimms:activity:key")]
    dump = b"".join([await built.redis.dump(n) or b"" for n in names])
    key = PseudonymKey.from_env().current()
    assert key not in dump and key.hex().encode() not in dump
    # The day counters hold hashes of nobody's number without the key: the same resident counted twice is one.
    day = date(2026, 11, 25)
    evening = datetime(2026, 11, 25, 18, 0, tzinfo=PARIS).timestamp()
    assert await built.activity.residents(day, day) == ({"sms": 1}, 1)  # A
    await built.activity.record(CONVERSATION, A, at=evening)
    assert await built.activity.residents(day, day) == ({"sms": 1}, 1)
    await built.activity.record(CONVERSATION, T2, at=evening)
    assert await built.activity.residents(day, day) == ({"sms": 1, "telegram": 1}, 2)


async def test_month_report_and_site_filter_from_the_command_line(
    world: Any, redis_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REDIS_URL", redis_url)
    out = tmp_path / "r.csv"
    assert (
        await asyncio.to_thread(
            main,
            [
                "--from",
                "2026-11-01",
                "--to",
                "2026-11-30",
                "--period",
                "month",
                "--site",
                "vaulx",
                "--out",
                str(out),
                "--csv",
            ],
        )
        == 0
    )
    rows = {r[1]: r[2:] for r in csv.reader(io.StringIO(out.read_text(encoding="utf-8")))}
    assert rows["indicateur"] == ["novembre 2026", "total"]
    assert rows["pris"] == ["0", "0"]  # every booking of the week was at Lyon 8e
    html_file = tmp_path / "r.html"
    assert (
        await asyncio.to_thread(
            main, ["--from", "2026-11-23", "--to", "2026-11-29", "--site", "lyon8", "--out", str(html_file)]
        )
        == 0
    )
    cells = html_rows(html_file.read_text(encoding="utf-8"))
    assert cells["absences"][-1] == "1" and cells["pris"][-1] == "5"
    assert await asyncio.to_thread(main, ["--from", "2026-11-29", "--to", "2026-11-23", "--out", str(html_file)]) == 2
