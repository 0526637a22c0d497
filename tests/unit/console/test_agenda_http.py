"""Agenda and report over HTTP: closure tells residents and blocks booking, extra counter, secret iCal, notes."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
import redis.asyncio as aioredis

from bot.booking.models import SlotFull
from bot.handoff.models import Reason
from tests.unit.console.conftest import Console
from tests.unit.console.day_console import WEB_RESIDENT, book, day_console, in_thread


@pytest.fixture
def console(redis_url: str) -> Iterator[Console]:
    yield from day_console(redis_url)


def csrf(client: httpx.Client, path: str = "/agenda") -> str:
    return client.get(path).text.split('name="csrf" value="', 1)[1].split('"', 1)[0]


def post(client: httpx.Client, path: str, **data: str) -> httpx.Response:
    return client.post(path, data={"csrf": csrf(client), **data})


def test_closing_a_day_cancels_tells_residents_and_stops_bookings(console: Console) -> None:
    first = in_thread(book(console.redis_url, WEB_RESIDENT, "caf", 9, 0, day=3))
    other = "web-agenda-other"
    second = in_thread(book(console.redis_url, other, "france_travail", 14, 0, day=3))
    client = console.login("alice")
    answer = post(client, "/agenda/fermer", site="lyon8", day="2026-12-03")
    assert answer.status_code == 303 and "msg=day_closed" in answer.headers["location"]
    page = client.get(answer.headers["location"]).text
    assert "2 habitants prévenus" in page and "Site fermé ce jour-là" in page and "Aucun rendez-vous ce jour-là" in page
    for sender_id, booking in ((WEB_RESIDENT, first), (other, second)):
        text = console.resident.wait_for(sender_id, 1)[0]["text"]
        assert "sera fermé le jeudi 3 décembre" in text and booking.ref in text
    with pytest.raises(SlotFull):  # nobody can book that day any more
        in_thread(book(console.redis_url, "web-late", "caf", 10, 0, day=3))


def test_an_extra_counter_opens_a_second_place_in_a_full_slot(console: Console) -> None:
    in_thread(book(console.redis_url, "web-a", "caf", 9, 0, day=4))  # Vaulx has 1 counter; Lyon 8e has 2
    in_thread(book(console.redis_url, "web-b", "caf", 9, 0, day=4))
    with pytest.raises(SlotFull):
        in_thread(book(console.redis_url, "web-c", "caf", 9, 0, day=4))
    client = console.login("alice")
    answer = post(client, "/agenda/guichet", site="lyon8", day="2026-12-04")
    assert "Guichet supplémentaire ajouté (1 ce jour-là)" in client.get(answer.headers["location"]).text
    assert in_thread(book(console.redis_url, "web-c", "caf", 9, 0, day=4)).ref


def test_the_ical_link_is_secret_and_renewable(console: Console) -> None:
    booking = in_thread(book(console.redis_url, "sms-33612345678", "caf", 11, 0))
    client = console.login("alice")
    url = client.get("/agenda?site=lyon8&day=2026-12-01").text.split('id="ics-url">', 1)[1].split("<", 1)[0]
    path = url.split("127.0.0.1:8080", 1)[1]
    ics = httpx.get(console.url + path, timeout=10)
    assert ics.status_code == 200 and ics.headers["content-type"].startswith("text/calendar")
    assert booking.ref in ics.text and "612345678" not in ics.text
    assert "Contact" not in ics.text and "** **" not in ics.text  # the contact stays out of the feed (L2)
    assert httpx.get(console.url + "/agenda/ics/lyon8/wrong-token.ics", timeout=10).status_code == 404
    post(client, "/agenda/ical/renouveler", site="lyon8", day="2026-12-01")
    assert httpx.get(console.url + path, timeout=10).status_code == 404
    new_url = client.get("/agenda?site=lyon8").text.split('id="ics-url">', 1)[1].split("<", 1)[0]
    assert new_url != url and httpx.get(console.url + new_url.split("8080", 1)[1], timeout=10).status_code == 200


def test_agenda_refuses_bad_input_politely(console: Console) -> None:
    client = console.login("alice")
    assert "Date ou site invalide" in client.get("/agenda?day=31-12", follow_redirects=True).text
    answer = post(client, "/agenda/marquer", site="lyon8", day="2026-12-01", ref="NOPE42", outcome="no_show")
    assert "introuvable" in client.get(answer.headers["location"]).text
    report = client.get("/rapport?from=2026-12-31&to=2026-12-01")
    assert report.status_code == 400 and "Rapport impossible" in report.text
    assert httpx.get(console.url + "/rapport", timeout=10).headers["location"] == "/login"


def test_notes_are_there_at_the_next_hand_off_of_the_same_person(console: Console) -> None:
    sid = "web-returning"
    console.seed(sid)
    client = console.login("alice")
    console.run(lambda store, _: store.add_note(sid, "alice", "Dossier CAF déposé, attend la réponse"))
    console.run(lambda store, _: store.close(sid, "alice"))
    console.run(lambda store, _: store.request(sid, reason=Reason.FALLBACK))
    queue = client.get("/api/queue").json()["queue"]
    assert queue[0]["note_count"] == 1 and queue[0]["why"] == "pas compris deux fois"
    view = client.get(f"/api/c/{sid}").json()
    assert [n["text"] for n in view["notes"]] == ["Dossier CAF déposé, attend la réponse"]

    async def ttl() -> int:
        client_ = aioredis.Redis.from_url(console.redis_url)
        try:
            return int(await client_.ttl(f"pimms:handoff:notes:{sid}"))
        finally:
            await client_.close()

    assert 0 < in_thread(ttl()) <= 90 * 24 * 3600  # notes expire with the hand-off record


def test_report_page_allows_inline_styles_only_there(console: Console) -> None:
    client = console.login("alice")
    report = client.get("/rapport?from=2026-11-30&to=2026-12-06&period=month")
    assert report.status_code == 200 and "style-src 'self' 'unsafe-inline'" in report.headers["content-security-policy"]
    assert "script-src" not in report.headers["content-security-policy"]
    assert "unsafe-inline" not in client.get("/agenda").headers["content-security-policy"]
    download = client.get("/rapport/fichier?from=2026-11-30&to=2026-12-06&format=html")
    assert download.headers["content-disposition"].startswith("attachment")
    assert "<svg" in download.text and "<script" not in download.text


def test_the_alert_link_opens_the_conversation_by_its_opaque_reference(console: Console) -> None:
    from bot.handoff.links import link_token

    sid = "sms-33698765432"
    console.seed(sid)
    token = console.run(lambda store, _: link_token(store.redis, sid))
    client = console.login("alice")
    answer = client.get(f"/o/{token}")
    assert answer.status_code == 303 and "698765432" not in answer.headers["location"]
    page = client.get(answer.headers["location"])
    assert page.status_code == 200 and "+33 6 ** ** ** 32" in page.text
    assert client.get("/o/unknown-token").status_code == 404


def test_the_agenda_shows_the_language_of_each_booking(console: Console) -> None:
    """Issue 23: the counter sees who needs a mediator speaking Turkish (French bookings show no badge)."""
    turkish = in_thread(book(console.redis_url, "web-tr", "caf", 9, 0, day=3, language="tr"))
    french = in_thread(book(console.redis_url, "web-fr", "caf", 10, 0, day=3))
    assert turkish.language == "tr" and french.language == "fr"
    page = console.login("alice").get("/agenda", params={"site": "lyon8", "day": "2026-12-03"}).text
    assert 'lang="tr">Türkçe</span>' in page and page.count('class="badge lang"') == 1
