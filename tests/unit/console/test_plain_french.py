"""Paris time and plain French everywhere (issue 28): the access log and "Accès à cette conversation" show
"07/12/2026 14:22:46" (never UTC or ISO 8601), history lines are sentences, and a refused page is a French HTML
page (the API keeps answering JSON)."""

from __future__ import annotations

import re

from tests.unit.console.conftest import Console
from tests.unit.console.test_console_http import post
from tests.unit.console.test_supervisor import make_supervisor

SID = "web-french-1"
HTML = {"Accept": "text/html,application/xhtml+xml"}
ISO_OR_UTC = re.compile(r"UTC|\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
FRENCH_TIME = re.compile(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}:\d{2}")


def test_access_times_are_paris_time_and_history_reads_as_sentences(console: Console) -> None:
    console.seed(SID)
    ref = console.ref(SID)
    make_supervisor(console)
    alice, chef = console.login("alice"), console.login("chef")
    assert post(alice, f"/c/{ref}/claim").json()["ok"]
    assert post(chef, f"/c/{ref}/takeover").json()["ok"]
    conversation = chef.get(f"/c/{ref}").text
    accesses = conversation.split('id="accesses"', 1)[1].split("</ul>", 1)[0]
    assert FRENCH_TIME.search(accesses) and not ISO_OR_UTC.search(accesses), accesses
    data = chef.get("/donnees").text
    log = data.split('id="access-log"', 1)[1].split("</table>", 1)[0]
    assert FRENCH_TIME.search(log) and not ISO_OR_UTC.search(log), log
    history = chef.get(f"/api/c/{ref}").json()["history_fr"]
    assert history[-2].endswith(": alice a pris la conversation en charge.")
    assert history[-1].endswith(": chef a repris la conversation d'alice.")


def test_a_refused_page_is_a_french_page_and_the_api_stays_json(console: Console) -> None:
    alice = console.login("alice")
    page = alice.get("/donnees", headers=HTML)
    assert page.status_code == 403 and page.headers["content-type"].startswith("text/html")
    assert "Accès refusé" in page.text and "Page réservée aux superviseurs." in page.text
    assert '{"error"' not in page.text and "Se déconnecter" in page.text  # the console's header is there
    missing = alice.get("/c/r" + "0" * 24, headers=HTML)
    assert missing.status_code == 404 and "Introuvable" in missing.text, missing.text
    lookup = alice.get("/c/sms-33612345678", headers=HTML)
    assert lookup.status_code == 403 and "Recherche par numéro réservée aux superviseurs." in lookup.text
    api = alice.get("/donnees", headers={"X-Requested-With": "fetch"})
    assert api.status_code == 403 and api.json() == {"error": "page réservée aux superviseurs"}


def test_held_conversations_say_why_and_since_when(console: Console) -> None:
    console.seed(SID, text="mon dossier CAF")
    alice, bob = console.login("alice"), console.login("bob")
    assert post(alice, f"/c/{console.ref(SID)}/claim").json()["ok"]
    mine, theirs = alice.get("/api/queue").json()["mine"][0], bob.get("/api/queue").json()["others"][0]
    for held in (mine, theirs):
        assert held["why"] == "a demandé une personne" and held["since"] == "à l'instant"
