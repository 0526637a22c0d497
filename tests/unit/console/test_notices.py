"""Banners show fixed texts chosen by a code (review L8): a crafted link cannot put words of its own in the
console."""

from __future__ import annotations

from urllib.parse import quote

from bot.console.notices import code_of, text_of
from tests.unit.console.conftest import Console
from tests.unit.console.test_console_http import csrf_of
from tests.unit.console.test_supervisor import make_supervisor

SID = "web-notice-1"
BAIT = "Compte suspendu : appelez le 08 99 00 00 00"


def test_a_crafted_link_shows_no_text_of_its_own(console: Console) -> None:
    console.seed(SID)
    make_supervisor(console)
    chef = console.login("chef")
    bait = quote(BAIT)
    pages = [
        f"/c/{console.ref(SID)}?erreur={bait}",
        f"/donnees?ok={bait}&erreur={bait}",
        f"/agenda?msg={bait}&erreur={bait}",
        f"/agenda?msg=cancelled&ref={bait}&n={bait}&refs={bait}",
    ]
    for path in pages:
        page = chef.get(path)
        assert page.status_code == 200 and "Compte suspendu" not in page.text and "08 99" not in page.text, path


def test_a_code_shows_its_fixed_text_with_checked_numbers(console: Console) -> None:
    alice = console.login("alice")
    page = alice.get("/agenda?msg=cancelled&ref=AB23CD&n=1&refs=XY45ZZ,QR67ST").text
    assert "Rendez-vous AB23CD annulé. 1 habitant prévenu. Non remis : XY45ZZ, QR67ST (appelez-les)." in page
    assert "Date ou site invalide." in alice.get("/agenda?day=31-12", follow_redirects=True).text


def test_a_form_without_javascript_gets_a_code_back(console: Console) -> None:
    console.seed(SID)
    ref = console.ref(SID)
    alice, bob = console.login("alice"), console.login("bob")
    assert alice.post(f"/c/{ref}/claim", data={"csrf": csrf_of(alice)}).status_code == 303
    refused = bob.post(f"/c/{ref}/claim", data={"csrf": csrf_of(bob)})
    assert refused.headers["location"] == f"/c/{ref}?erreur=refused"
    assert "la conversation a changé entre-temps" in bob.get(refused.headers["location"]).text


def test_known_texts_map_back_to_their_code() -> None:
    assert code_of("Rendez-vous introuvable ou annulé", "agenda_refused") == "booking_missing"
    assert code_of("déjà pris en charge par bob", "refused") == "refused"
    assert text_of({"erreur": "nope"}, "erreur") == "" and text_of({}, "erreur") == ""
    assert text_of({"ok": "erased", "n": "3", "r": "x"}, "ok") == "Effacé : 3 donnée(s), 0 rendez-vous."
