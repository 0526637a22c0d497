"""The console on a phone (issue 28): at 390x844 no page scrolls sideways, the header and the log-out button
are on screen, tables become cards and the reply box is reachable. Real Chromium, real uvicorn, real Redis."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from bot.handoff.store import HandoffStore
from bot.handoff.triage import Triage, save_triage
from tests.browser import ARGS, CHROMIUM, browser_env, require_chromium
from tests.unit.console.conftest import PASSWORD, Console
from tests.unit.console.day_console import SMS_RESIDENT, WEB_RESIDENT, book, day_console, in_thread
from tests.unit.console.test_console_http import post
from tests.unit.console.test_supervisor import make_supervisor

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
LONG = "Bonjour je voudrais savoir pourquoi ma prime d'activité a baissé alors que mes revenus n'ont pas changé"


@pytest.fixture
def console(redis_url: str) -> Iterator[Console]:
    yield from day_console(redis_url)


@pytest.fixture
def page(console: Console) -> Iterator[Any]:
    require_chromium()
    from playwright.sync_api import sync_playwright

    make_supervisor(console)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, env=browser_env())
        context = browser.new_context(locale="fr-FR", viewport=PHONE)
        tab = context.new_page()
        tab.set_default_timeout(15000)
        tab.goto(console.url + "/login")
        tab.fill("input[name=name]", "chef")
        tab.fill("input[name=password]", PASSWORD)
        tab.click("button[type=submit]")
        tab.wait_for_url(console.url + "/")
        yield tab
        browser.close()


def overflow(page: Any) -> dict[str, Any]:
    """How far the page scrolls sideways, and the widest culprit (for the failure message)."""
    return page.evaluate(
        """() => {
          const width = window.innerWidth;
          let worst = "";
          for (const node of document.querySelectorAll("body *")) {
            const box = node.getBoundingClientRect();
            if (box.right > width + 1 && box.width) { worst = node.tagName + "." + node.className + " " + box.right; }
          }
          return { scroll: document.documentElement.scrollWidth, width, worst };
        }"""
    )


def on_screen(page: Any, selector: str) -> bool:
    box = page.locator(selector).first.bounding_box()
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 1


def seed(console: Console) -> None:
    console.seed("web-phone-urgent-resident-with-a-long-identifier", text=LONG, urgent=True)
    console.seed("sms-33612345678", text=LONG)

    async def themes(store: HandoffStore, _: Any) -> None:
        await save_triage(store.redis, "sms-33612345678", Triage("", ["Prime d'activité", "CAF"], LONG[:80], "lyon8"))

    console.run(themes)
    in_thread(book(console.redis_url, SMS_RESIDENT, "caf", 10, 0))
    in_thread(book(console.redis_url, WEB_RESIDENT, "france_travail", 15, 0))


@pytest.mark.timeout(180)
def test_every_page_fits_a_phone(console: Console, page: Any) -> None:
    from playwright.sync_api import expect

    seed(console)
    ref = console.ref("sms-33612345678")
    alice = console.login("alice")
    assert post(alice, f"/c/{ref}/claim").json()["ok"]  # a conversation in "Chez mes collègues" too
    pages = ["/", f"/c/{ref}", "/agenda", "/rapport", "/donnees", "/non-remis"]
    problems = {}
    for path in pages:
        page.goto(console.url + path)
        page.wait_for_load_state("networkidle") if path != f"/c/{ref}" and path != "/" else page.wait_for_timeout(500)
        found = overflow(page)
        if found["scroll"] > found["width"]:
            problems[path] = found
        for selector in (".brand", ".logout button"):
            if not on_screen(page, selector):
                problems[path + " " + selector] = page.locator(selector).first.bounding_box()
    assert not problems, "\n".join(f"{k}: {v}" for k, v in problems.items())

    page.goto(console.url + "/")  # the queue as cards: each row's cells one under another, labelled
    row = page.locator("#queue tbody tr").first
    expect(row).to_be_visible()
    cells = row.locator("td")
    first, second = cells.nth(0).bounding_box(), cells.nth(1).bounding_box()
    assert second["y"] >= first["y"] + first["height"] - 1  # stacked, not side by side
    assert page.locator("#queue thead").first.is_hidden()

    page.goto(console.url + f"/c/{ref}")  # the conversation: the reply box is reachable
    page.locator("#reply-text").scroll_into_view_if_needed()
    assert on_screen(page, "#reply-text") and on_screen(page, "#send")
    expect(page.locator("#transcript .text").first).to_have_attribute("dir", "auto")
