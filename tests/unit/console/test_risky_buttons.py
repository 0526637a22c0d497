"""Risky buttons (issue 28): "Clore" is not offered before a claim (refused by the server too, except for a
supervisor) and asks for confirmation; the erase buttons look dangerous and ask. HTTP and real Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from bot.handoff.models import State
from tests.browser import ARGS, CHROMIUM, browser_env, require_chromium
from tests.unit.console.conftest import PASSWORD, Console
from tests.unit.console.test_console_http import post
from tests.unit.console.test_supervisor import make_supervisor

SID = "web-risky-1"
RED = "rgb(180, 35, 24)"  # --urgent


def test_a_mediator_cannot_close_before_claiming_but_a_supervisor_can(console: Console) -> None:
    console.seed(SID)
    make_supervisor(console)
    alice, chef = console.login("alice"), console.login("chef")
    refused = post(alice, f"/c/{console.ref(SID)}/close")
    assert refused.status_code == 409 and "prenez d'abord" in refused.json()["error"]
    assert console.state(SID).state == State.WAITING
    assert post(chef, f"/c/{console.ref(SID)}/close").json()["ok"]
    assert console.state(SID).state == State.CLOSED


@pytest.fixture
def page() -> Iterator[Any]:
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, env=browser_env())
        tab = browser.new_context(locale="fr-FR").new_page()
        tab.set_default_timeout(15000)
        tab.answers = []  # type: ignore[attr-defined]  # True: accept the next dialog, False: dismiss it
        tab.dialogs = []  # type: ignore[attr-defined]

        def answer(dialog: Any) -> None:
            tab.dialogs.append(dialog.message)  # type: ignore[attr-defined]
            dialog.accept() if tab.answers.pop(0) else dialog.dismiss()  # type: ignore[attr-defined]

        tab.on("dialog", answer)
        yield tab
        browser.close()


def log_in(console: Console, page: Any, name: str) -> None:
    page.goto(console.url + "/login")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(console.url + "/")


@pytest.mark.browser
@pytest.mark.timeout(120)
def test_close_waits_for_a_claim_and_a_confirmation(console: Console, page: Any) -> None:
    from playwright.sync_api import expect

    console.seed(SID)
    log_in(console, page, "alice")
    page.goto(console.url + f"/c/{console.ref(SID)}")
    expect(page.locator("body.live")).to_have_count(1)
    expect(page.locator("#close")).to_be_disabled()  # not offered before a claim
    page.click("#claim")
    expect(page.locator("#status")).to_have_text("Vous suivez cette conversation")
    expect(page.locator("#close")).to_be_enabled()
    assert page.eval_on_selector("#close", "b => getComputedStyle(b).color") == RED
    page.answers.append(False)
    page.click("#close")
    assert page.dialogs and page.dialogs[-1].startswith("Clore cette conversation ?")
    expect(page.locator("#status")).to_have_text("Vous suivez cette conversation")
    assert console.state(SID).state == State.WITH_MEDIATOR  # cancelled: nothing happened
    page.answers.append(True)
    page.click("#close")
    expect(page.locator("#status")).to_have_text("Conversation close")


@pytest.mark.browser
@pytest.mark.timeout(120)
def test_erase_buttons_look_dangerous_and_ask(console: Console, page: Any) -> None:
    from playwright.sync_api import expect

    console.seed(SID)
    make_supervisor(console)
    log_in(console, page, "chef")
    page.goto(console.url + f"/c/{console.ref(SID)}")
    assert page.eval_on_selector("#erase-resident", "b => getComputedStyle(b).color") == RED
    page.fill("#erase-confirm", "EFFACER")
    page.answers.append(False)
    page.click("#erase-resident")
    assert page.dialogs[-1].startswith("Effacer définitivement")
    assert console.state(SID) is not None  # dismissed: nothing erased
    page.goto(console.url + "/donnees")
    assert page.eval_on_selector("#erase", "b => getComputedStyle(b).color") == RED
    page.fill("#erase-resident", SID)
    page.fill("#erase-confirm", "EFFACER")
    page.answers.append(False)
    page.click("#erase")
    assert page.dialogs[-1].startswith("Effacer définitivement") and len(page.dialogs) == 2
    assert console.state(SID) is not None
    page.goto(console.url + f"/c/{console.ref(SID)}")
    page.fill("#erase-confirm", "EFFACER")
    page.answers.append(True)
    page.click("#erase-resident")
    expect(page.locator("body")).to_contain_text("Effacé")
    assert console.state(SID) is None
