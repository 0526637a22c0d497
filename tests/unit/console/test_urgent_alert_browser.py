"""A waiting resident who writes a danger message interrupts the mediators (issue 28): in real headless Chromium,
the queue raises the red "Demande urgente" banner with sound and tab title, shows the danger message as the
preview and pins the row at the top until it is opened. The danger goes through the real waiting gate."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import redis.asyncio as aioredis

from bot.activity.log import ActivityLog
from bot.handoff.announce import Announcer
from bot.handoff.waiting import Outcome, WaitingGate
from bot.outbound import build_outbound
from bot.settings import Settings
from bot.sites import load_sites
from tests.browser import ARGS, CHROMIUM, browser_env, require_chromium
from tests.sites import SITES_FILE
from tests.unit.console.conftest import PASSWORD, Console

pytestmark = pytest.mark.browser
# Counts the tones the page plays (the sound a mediator hears).
COUNT_TONES = """
window.__tones = 0;
const Real = window.AudioContext;
if (Real) {
  const create = Real.prototype.createOscillator;
  Real.prototype.createOscillator = function () { window.__tones += 1; return create.call(this); };
}
"""


@pytest.fixture
def page() -> Iterator[Any]:
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM, args=[*ARGS, "--autoplay-policy=no-user-gesture-required"], env=browser_env()
        )
        context = browser.new_context(locale="fr-FR")
        context.add_init_script(COUNT_TONES)
        tab = context.new_page()
        tab.set_default_timeout(15000)
        yield tab
        browser.close()


def danger_while_waiting(console: Console, sender_id: str, text: str) -> Outcome:
    """The resident's message goes through the channel's waiting gate, as in production."""

    async def go(store: Any, _: Any) -> Outcome:
        redis: aioredis.Redis = store.redis
        settings = Settings(sites_file=SITES_FILE, callback_url=console.resident.url)
        gate = WaitingGate(
            redis,
            build_outbound(settings, redis),
            load_sites(SITES_FILE).default,
            ZoneInfo("Europe/Paris"),
            announcer=Announcer(redis, ActivityLog(redis), None),
        )
        return (await gate.before_turn(sender_id, text)).outcome

    outcome: Outcome = console.run(go)
    console.rasa.user(sender_id, text)
    return outcome


def log_in(console: Console, page: Any) -> None:
    page.goto(console.url + "/login")
    page.fill("input[name=name]", "alice")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")


@pytest.mark.timeout(120)
def test_waiting_resident_turning_to_danger_interrupts_the_queue(console: Console, page: Any) -> None:
    from playwright.sync_api import expect

    console.seed("web-earlier-urgent", text="il me menace", urgent=True)  # an older urgent case, sorted first
    console.seed("web-sofia", text="je veux parler a quelqu un")
    console.seed("web-marie", text="bonjour")
    log_in(console, page)
    expect(page.locator("body.live")).to_have_count(1)
    sofia = console.ref("web-sofia")
    rows = page.locator("#queue tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.first).not_to_have_attribute("data-sender", sofia)
    expect(page.locator("#new-alert")).to_be_hidden()

    assert danger_while_waiting(console, "web-sofia", "il veut me tuer j ai peur") == Outcome.DANGER
    banner = page.locator("#new-alert")
    expect(banner).to_have_text("Demande urgente", timeout=2000)
    expect(banner).to_have_class("alert urgent")
    expect(rows.first).to_have_attribute("data-sender", sofia, timeout=2000)  # pinned above the older urgent row
    expect(rows.first).to_have_class("urgent pinned")
    expect(rows.first.locator(".preview")).to_have_text("il veut me tuer j ai peur")
    expect(rows.first.locator(".preview")).to_have_attribute("dir", "auto")  # right-to-left scripts read right
    assert "thème non précisé" not in page.content()
    expect(page).to_have_title("⚠ Demande urgente · (3) File d'attente · PIMMS")
    assert page.evaluate("window.__tones") >= 3

    console.seed("web-lucas", text="bonjour")  # a normal arrival does not hide the danger case
    expect(rows).to_have_count(4)
    expect(banner).to_have_text("Demande urgente")
    expect(rows.first).to_have_attribute("data-sender", sofia)

    page.goto(console.url + "/agenda")  # another page: the unopened danger case still shows
    expect(page.locator("#urgent-elsewhere")).to_be_visible()
    expect(page).to_have_title(re.compile(r"^⚠ Demande urgente · \(4\) Agenda "), timeout=5000)

    page.goto(console.url + "/")
    rows.first.locator("a.button").click()  # opened: no longer pinned
    expect(page.locator("#conversation-page")).to_have_count(1)
    unpinned = "ref => !JSON.parse(window.localStorage.getItem('pimms-urgent-unopened') || '[]').includes(ref)"
    page.wait_for_function(unpinned, arg=sofia)  # the page's script ran (a loaded machine may lag behind the HTML)
    page.goto(console.url + "/")
    expect(rows).to_have_count(4)
    expect(page.locator("#queue tr.pinned")).to_have_count(0)
    expect(rows.first).to_have_attribute("data-sender", console.ref("web-earlier-urgent"))
    expect(page).to_have_title("(4) File d'attente · PIMMS")
