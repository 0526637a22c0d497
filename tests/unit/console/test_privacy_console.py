"""Residents' data in the console: the access log, and export / erasure for supervisors only."""

from __future__ import annotations

import json
from urllib.parse import quote

from bot.privacy.keys import TRACKER_KEY
from tests.unit.console.conftest import Console
from tests.unit.console.test_console_http import csrf_of, post
from tests.unit.console.test_supervisor import make_supervisor

SID = "sms-33611223344"
PATH = "/c/" + quote(SID, safe="")


def _tracker(console: Console) -> None:
    async def go(store: object, _: object) -> None:
        tracker = {"name": SID, "events": [{"event": "user", "text": "je veux parler a qqn", "timestamp": 1.0}]}
        await store.redis.set(TRACKER_KEY.replace("{sender}", SID), json.dumps(tracker), ex=600)  # type: ignore[attr-defined]

    console.run(go)


def test_accesses_are_logged_and_shown_to_supervisors_without_the_number(console: Console) -> None:
    console.seed(SID)
    make_supervisor(console)
    alice = console.login("alice")
    assert alice.get(PATH).status_code == 200
    assert post(alice, PATH + "/claim").status_code == 200
    assert post(alice, PATH + "/note", text="rappeler demain").status_code == 200
    assert alice.get("/donnees").status_code == 403  # mediators do not read the log
    chef = console.login("chef")
    page = chef.get("/donnees")
    assert page.status_code == 200
    assert "alice" in page.text and "a ouvert" in page.text and "a pris en charge" in page.text
    assert "33611223344" not in page.text and "a écrit une note" in page.text
    conversation = chef.get(PATH)
    assert 'id="accesses"' in conversation.text and "alice a pris en charge" in conversation.text


def test_only_supervisors_export_and_erase(console: Console) -> None:
    console.seed(SID)
    _tracker(console)
    make_supervisor(console)
    alice = console.login("alice")
    assert post(alice, PATH + "/export").status_code == 403
    assert post(alice, PATH + "/erase", confirm="EFFACER").status_code == 403
    chef = console.login("chef")
    assert chef.get(PATH).status_code == 200
    exported = chef.post(PATH + "/export", data={"csrf": csrf_of(chef)})
    assert exported.status_code == 200 and "attachment" in exported.headers["content-disposition"]
    document = exported.json()
    assert document["rubriques"][0]["contenu"][0]["texte"] == "je veux parler a qqn"
    refused = chef.post(PATH + "/erase", data={"csrf": csrf_of(chef), "confirm": "oui"})
    assert refused.status_code == 303 and "erreur" in refused.headers["location"]
    assert console.state(SID) is not None
    erased = chef.post(PATH + "/erase", data={"csrf": csrf_of(chef), "confirm": "EFFACER"})
    assert erased.status_code == 303 and "ok=" in erased.headers["location"]
    assert console.state(SID) is None
    assert chef.get(PATH).status_code == 404
    log = chef.get("/donnees").text
    assert "a exporté" in log and "a effacé" in log


def test_erase_by_number_from_the_data_page(console: Console) -> None:
    console.seed(SID)
    make_supervisor(console)
    chef = console.login("chef")
    chef.get("/donnees")
    response = chef.post(
        "/donnees/erase", data={"csrf": csrf_of(chef), "resident": "06 11 22 33 44", "confirm": "effacer"}
    )
    assert response.status_code == 303 and "ok=" in response.headers["location"]
    assert console.state(SID) is None
    bad = chef.post("/donnees/erase", data={"csrf": csrf_of(chef), "resident": "bonjour", "confirm": "EFFACER"})
    assert "erreur" in bad.headers["location"]
