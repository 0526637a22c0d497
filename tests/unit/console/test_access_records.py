"""The access log (review M10): every transcript read and every action on a conversation is recorded, and a raw
sender id in a URL is a lookup by number: any conversation for a supervisor, recorded; only those in progress
for a mediator."""

from __future__ import annotations

from collections import Counter

import httpx

from bot.console.auth import MediatorAccounts
from bot.handoff.store import HandoffStore
from bot.privacy.access_log import AccessLog
from tests.unit.console.conftest import Console
from tests.unit.console.test_console_http import csrf_of, post
from tests.unit.console.test_supervisor import make_supervisor

SID = "web-access-10"


def _actions(console: Console) -> Counter[tuple[str, str]]:
    async def go(store: HandoffStore, _: MediatorAccounts) -> Counter[tuple[str, str]]:
        entries = await AccessLog(store.redis, 3600).recent(days=2)
        return Counter((e.mediator, e.action) for e in entries)

    return console.run(go)  # type: ignore[no-any-return]


def test_every_read_of_a_transcript_is_recorded(console: Console) -> None:
    console.seed(SID)
    ref = console.ref(SID)
    alice = console.login("alice")
    assert alice.get(f"/c/{ref}").status_code == 200
    assert alice.get(f"/api/c/{ref}").status_code == 200
    with alice.stream("GET", f"/events/c/{ref}") as stream:
        assert next(stream.iter_lines()).startswith("event: conversation")
    seen = _actions(console)
    assert seen[("alice", "open")] == 1 and seen[("alice", "read")] == 1 and seen[("alice", "stream")] == 1


def test_every_action_on_a_conversation_is_recorded(console: Console) -> None:
    console.seed(SID)
    ref = console.ref(SID)
    make_supervisor(console)
    alice, chef = console.login("alice"), console.login("chef")
    assert post(alice, f"/c/{ref}/claim").json()["ok"]
    assert post(alice, f"/c/{ref}/reply", text="Bonjour, je regarde.").json()["ok"]
    assert post(alice, f"/c/{ref}/note", text="rappeler").json()["ok"]
    assert post(alice, f"/c/{ref}/transfer", to="bob").json()["ok"]
    assert post(chef, f"/c/{ref}/takeover").json()["ok"]
    assert post(chef, f"/c/{ref}/handback").json()["ok"]
    console.seed(SID)
    assert post(chef, f"/c/{ref}/close").json()["ok"]
    assert chef.post(f"/c/{ref}/export", data={"csrf": csrf_of(chef)}).status_code == 200
    assert chef.post(f"/c/{ref}/erase", data={"csrf": csrf_of(chef), "confirm": "EFFACER"}).status_code == 303
    seen = _actions(console)
    for action in ("claim", "reply", "note", "transfer"):
        assert seen[("alice", action)] == 1, action
    for action in ("take_over", "hand_back", "close", "export", "erase"):
        assert seen[("chef", action)] == 1, action
    log = chef.get("/donnees").text
    assert "a transféré" in log and "a clôturé" in log and "a rendu à l" in log and "a repris" in log


def test_a_mediator_cannot_look_up_a_number_outside_the_queue(console: Console) -> None:
    console.seed(SID)
    make_supervisor(console)
    alice, chef = console.login("alice"), console.login("chef")
    assert alice.get(f"/api/c/{SID}").status_code == 200  # in the queue: every mediator sees it anyway
    assert post(alice, f"/c/{console.ref(SID)}/claim").json()["ok"]
    assert post(alice, f"/c/{console.ref(SID)}/close").json()["ok"]
    for path in (f"/c/{SID}", f"/api/c/{SID}", f"/events/c/{SID}"):
        refused = alice.get(path)
        assert refused.status_code == 403 and "superviseurs" in refused.json()["error"]
    assert chef.get(f"/api/c/{SID}").status_code == 200  # a supervisor may, and it is recorded
    seen = _actions(console)
    assert seen[("alice", "lookup")] == 1 and seen[("chef", "lookup")] == 1
    assert "a fait une recherche par numéro" in chef.get("/donnees").text


def test_a_stranger_gets_no_lookup_by_number(console: Console) -> None:
    console.seed(SID)
    with httpx.Client(base_url=console.url, timeout=10) as stranger:
        assert stranger.get(f"/api/c/{SID}").status_code == 401
    assert sum(_actions(console).values()) == 0
