"""Agenda, live alerts and the activity report in real Chromium (real uvicorn, real Redis, injected clock)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from bot.handoff.models import Reason
from bot.handoff.store import HandoffStore
from bot.handoff.triage import Triage, save_triage
from tests.browser import ARGS, CHROMIUM, browser_env, require_chromium
from tests.unit.console.conftest import PASSWORD, Console
from tests.unit.console.day_console import SMS_RESIDENT, WEB_RESIDENT, book, day_console, in_thread

pytestmark = pytest.mark.browser


@pytest.fixture
def console(redis_url: str) -> Iterator[Console]:
    yield from day_console(redis_url)


@pytest.fixture
def page(console: Console) -> Iterator[Any]:
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, env=browser_env())
        tab = browser.new_context(locale="fr-FR").new_page()
        tab.set_default_timeout(15000)
        tab.on("dialog", lambda dialog: dialog.accept())
        tab.goto(console.url + "/login")
        tab.fill("input[name=name]", "alice")
        tab.fill("input[name=password]", PASSWORD)
        tab.click("button[type=submit]")
        tab.wait_for_url(console.url + "/")
        yield tab
        browser.close()


@pytest.mark.timeout(150)
def test_no_show_marked_in_the_agenda_appears_in_the_report(console: Console, page: Any) -> None:
    from playwright.sync_api import expect

    missed = in_thread(book(console.redis_url, SMS_RESIDENT, "caf", 10, 0))
    cancelled = in_thread(book(console.redis_url, WEB_RESIDENT, "france_travail", 15, 0))
    page.click("nav.sections >> text=Agenda")
    expect(page.locator("h1")).to_contain_text("01/12/2026")  # today, on the console's clock, in Paris
    row = page.locator(f'#appointments tr[data-ref="{missed.ref}"]')
    expect(row).to_contain_text("10h – 10h30")
    expect(row).to_contain_text("CAF")
    expect(row).to_contain_text("+33 6 ** ** ** 78")
    expect(row).to_contain_text("pièce d'identité")
    assert "612345678" not in page.content()
    later = page.locator(f'#appointments tr[data-ref="{cancelled.ref}"]')
    expect(later.locator("button.mark-no_show")).to_have_count(0)  # not started yet: only a cancellation

    row.locator("button.mark-no_show").click()
    expect(page.locator("#agenda-message")).to_contain_text("absent")
    expect(page.locator(f'#appointments tr[data-ref="{missed.ref}"] td.outcome')).to_have_text("absent")

    page.locator(f'#appointments tr[data-ref="{cancelled.ref}"] button.cancel-appointment').click()
    expect(page.locator("#agenda-message")).to_contain_text("1 habitant prévenu")
    expect(page.locator(f'#appointments tr[data-ref="{cancelled.ref}"]')).to_have_count(0)
    told = console.resident.wait_for(WEB_RESIDENT, 1)
    assert cancelled.ref in told[0]["text"] and "annulé par le PIMMS" in told[0]["text"]

    page.click("nav.sections >> text=Rapport d'activité")
    expect(page.locator("table.figures tr[data-item='absences'] td").last).to_have_text("1")  # this month so far
    page.fill("input[name=from]", "2026-11-30")  # the bookings were made on Monday 30 November
    page.fill("input[name=to]", "2026-12-06")
    page.click("#report-page button[type=submit]")
    expect(page.locator(".report-scope")).to_contain_text("Du 30/11/2026 au 06/12/2026")
    expect(page.locator("table.figures tr[data-item='pris'] td").last).to_have_text("2")
    expect(page.locator("table.figures tr[data-item='annulés'] td").last).to_have_text("1")
    expect(page.locator("table.figures tr[data-item='taux d\\'absence (%)'] td").last).to_have_text("100,0")
    expect(page.locator(".chart svg")).to_have_count(3)
    colour = page.evaluate("getComputedStyle(document.querySelector('.chart svg path[style*=fill]')).fill")
    assert colour not in ("", "rgb(0, 0, 0)")  # the charts' inline styles are allowed on this page only
    with page.expect_download() as download:
        page.click("#download-csv")
    text = open(download.value.path(), encoding="utf-8").read()
    assert "Rendez-vous,absences,1,1" in text


@pytest.mark.timeout(120)
def test_a_new_hand_off_shows_live_with_why_theme_preview_and_tab_count(console: Console, page: Any) -> None:
    from playwright.sync_api import expect

    expect(page.locator("body.live")).to_have_count(1)
    expect(page).to_have_title("File d'attente · PIMMS")
    sid = "web-danger-1"

    async def urgent(store: HandoffStore, _: Any) -> None:
        await save_triage(store.redis, sid, Triage("violence", ["CAF"], "il me frappe depuis hier", "lyon8"))
        await store.add_note(sid, "bob", "Déjà venue pour sa CAF le mois dernier")
        await store.request(sid, reason=Reason.URGENT, urgent=True)

    console.rasa.user(sid, "il me frappe depuis hier")
    console.run(urgent)
    row = page.locator(f'#queue tr[data-sender="{console.ref(sid)}"]')
    expect(row).to_have_class("urgent new pinned")  # pinned at the top until opened
    expect(row.locator("td.why")).to_have_text("danger : violences")
    expect(row.locator("td.topic")).to_contain_text("CAF")
    expect(row.locator("td.topic")).to_contain_text("il me frappe depuis hier")
    expect(row).to_contain_text("1 note")
    expect(page).to_have_title("⚠ Demande urgente · (1) File d'attente · PIMMS")
    expect(page.locator("#new-alert")).to_have_text("Demande urgente")
    assert page.locator("#queue-page").get_attribute("data-alerts") == "1"
    page.click("nav.sections >> text=Agenda")
    expect(page).to_have_title(re.compile(r"^⚠ Demande urgente · \(1\) Agenda Lyon 8e 01/12/2026"))  # every page
    page.go_back()
    row.locator("a.button").click()
    expect(page.locator("#why")).to_contain_text("danger : violences")
    expect(page.locator("#notes")).to_contain_text("Déjà venue pour sa CAF")
    expect(page.locator("#history li").first).to_contain_text("a demandé un médiateur (danger)")
