"""End to end in headless Chromium: a resident asks for a person, a mediator answers, hands back."""

from __future__ import annotations

import io
from typing import Any

import pytest

from bot.console.cli import main as mediators
from bot.handoff import messages
from bot.settings import Settings
from tests.browser import ARGS, CHROMIUM, browser_env, require_chromium

pytestmark = [pytest.mark.stack, pytest.mark.browser]
PASSWORD = "mot de passe e2e"


@pytest.mark.timeout(300)
def test_resident_mediator_and_back_to_the_assistant(stack: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    require_chromium()
    if not stack.env.get("CONSOLE_PORT"):
        pytest.skip("no console in the stack")
    from playwright.sync_api import expect, sync_playwright

    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert mediators(["password", "e2e-med", "--password-stdin"], Settings.from_env(stack.env)) == 0
    sid = "e2e-resident-1"
    stack.callback_send(sid, "je veux parler a un humain")
    before = stack.callback.wait_for(sid, 2)
    assert any("médiateur" in m["text"] for m in before)

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, env=browser_env())
        page = browser.new_page()
        page.set_default_timeout(20000)
        page.goto(stack.console_url + "/login")
        page.fill("input[name=name]", "e2e-med")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        row = page.locator(f'#queue tr[data-sender="{stack.conversation_ref(sid)}"]')
        expect(row).to_have_count(1)
        row.locator("a.button").click()
        expect(page.locator("#transcript")).to_contain_text("je veux parler a un humain")

        page.click("#claim")
        expect(page.locator("#status")).to_have_text("Vous suivez cette conversation")
        page.fill("#reply-text", "Bonjour, ici Camille du PIMMS.")
        page.click("#send")
        got = stack.callback.wait_for(sid, len(before) + 2)
        assert [m["text"] for m in got[len(before) :]] == [messages.CLAIMED, "Bonjour, ici Camille du PIMMS."]

        stack.callback_send(sid, "Merci, c'est pour la CAF")
        expect(page.locator("#transcript li.resident").last).to_contain_text("Merci, c'est pour la CAF")
        assert len(stack.callback.for_recipient(sid)) == len(got)  # the assistant stayed silent

        page.click("#handback")
        expect(page.locator("#status")).to_have_text("L'assistant automatique répond")
        browser.close()

    count = len(stack.callback.wait_for(sid, len(got) + 1))
    assert stack.callback.for_recipient(sid)[len(got)]["text"] == messages.HANDED_BACK
    stack.callback_send(sid, "bonjour")
    assert len(stack.callback.wait_for(sid, count + 1)) > count  # the assistant answers again
    tracker = stack.tracker(sid)
    assert tracker["paused"] is False
    assert any((e.get("metadata") or {}).get("mediator") == "e2e-med" for e in tracker["events"])
