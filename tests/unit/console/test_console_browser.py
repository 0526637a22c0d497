"""The console in real headless Chromium against a real uvicorn server, real Redis, fake Rasa API."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.handoff import messages
from bot.handoff.models import State
from tests.browser import ARGS, CHROMIUM, browser_env, require_chromium
from tests.unit.console.conftest import PASSWORD, Console
from tests.waiting import wait_until

pytestmark = pytest.mark.browser
XSS = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>'


@pytest.fixture
def page() -> Iterator[object]:
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, env=browser_env())
        context = browser.new_context(locale="fr-FR")
        tab = context.new_page()
        tab.set_default_timeout(15000)
        dialogs: list[str] = []
        tab.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        tab.dialogs = dialogs  # type: ignore[attr-defined]
        yield tab
        browser.close()


@pytest.mark.timeout(120)
def test_mediator_takes_replies_and_hands_back_live(console: Console, page: object) -> None:
    from playwright.sync_api import expect

    sid = "web-browser-1"
    page.goto(console.url + "/")  # type: ignore[attr-defined]
    expect(page).to_have_url(console.url + "/login")  # type: ignore[arg-type]
    page.fill("input[name=name]", "alice")  # type: ignore[attr-defined]
    page.fill("input[name=password]", PASSWORD)  # type: ignore[attr-defined]
    page.click("button[type=submit]")  # type: ignore[attr-defined]
    expect(page.locator("#queue")).to_contain_text("Personne n'attend")  # type: ignore[attr-defined]
    expect(page.locator("body.live")).to_have_count(1)  # type: ignore[attr-defined]

    console.seed(sid, text=XSS, urgent=True)  # arrives while the page is open
    row = page.locator(f'#queue tr[data-sender="{console.ref(sid)}"]')  # type: ignore[attr-defined]
    expect(row).to_contain_text("URGENT")
    expect(page.locator("#queue-count")).to_have_text("1")  # type: ignore[attr-defined]
    row.locator("a.button").click()

    transcript = page.locator("#transcript")  # type: ignore[attr-defined]
    expect(transcript).to_contain_text(XSS)  # shown as text, literally
    assert page.evaluate("window.pwned") is None  # type: ignore[attr-defined]
    assert transcript.locator("img, script").count() == 0
    expect(page.locator("#status")).to_contain_text("En attente")  # type: ignore[attr-defined]
    expect(page.locator("#send")).to_be_disabled()  # type: ignore[attr-defined]

    page.click("#claim")  # type: ignore[attr-defined]
    expect(page.locator("#status")).to_have_text("Vous suivez cette conversation")  # type: ignore[attr-defined]
    page.locator(".canned-reply").first.click()  # type: ignore[attr-defined]
    expect(page.locator("#reply-text")).not_to_have_value("")  # type: ignore[attr-defined]
    page.fill("#reply-text", "Bonjour, je suis Alice du PIMMS.")  # type: ignore[attr-defined]
    page.click("#send")  # type: ignore[attr-defined]
    expect(transcript.locator("li.mediator").last).to_contain_text("Bonjour, je suis Alice du PIMMS.")
    expect(page.locator("#reply-text")).to_have_value("")  # type: ignore[attr-defined]
    assert [m["text"] for m in console.resident.wait_for(sid, 2)] == [
        messages.CLAIMED,
        "Bonjour, je suis Alice du PIMMS.",
    ]

    page.fill("#note-text", "Note interne <b>privée</b>")  # type: ignore[attr-defined]
    page.click("#add-note")  # type: ignore[attr-defined]
    expect(page.locator("#notes")).to_contain_text("Note interne <b>privée</b>")  # type: ignore[attr-defined]

    console.rasa.user(sid, "Merci, c'est pour ma CAF")  # the resident answers: appears without reload
    expect(transcript.locator("li.resident").last).to_contain_text("Merci, c'est pour ma CAF")

    page.click("#handback")  # type: ignore[attr-defined]
    expect(page.locator("#status")).to_have_text("L'assistant automatique répond")  # type: ignore[attr-defined]
    expect(transcript).to_contain_text(messages.HANDED_BACK)
    wait_until(lambda: console.state(sid).state == State.BOT and not console.state(sid).resume_pending)
    assert console.rasa.tracker(sid)["paused"] is False
    assert all("privée" not in m["text"] for m in console.resident.for_recipient(sid))
    assert page.dialogs == []  # type: ignore[attr-defined]
