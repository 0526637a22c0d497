"""Every mediator message shows its delivery state, taken from the provider's answer (fake Twilio),
over HTTP and in real Chromium: UCS-2 text sent, provider error, resident opted out; the daily cap never holds
a mediator back."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from bot.optout import OptOutStore
from bot.settings import TwilioSettings
from tests.browser import ARGS, CHROMIUM, browser_env, require_chromium
from tests.fakes.twilio_server import FakeTwilio
from tests.unit.console.conftest import PASSWORD, Console, running_console
from tests.unit.console.test_console_http import post

SID = "sms-33612345678"
ARABIC = "مرحبا، تم استلام طلبك. سيتصل بك وسيط غدا صباحا لمساعدتك في ملف الإعانة العائلية."


def sms_settings(fake_twilio: FakeTwilio) -> dict[str, Any]:
    """Settings of a console whose messages leave as SMS (fake Twilio), with a daily cap of 4 and quick retries."""
    twilio = TwilioSettings(
        fake_twilio.account_sid, fake_twilio.auth_token, "+33700000000", api_base_url=fake_twilio.base_url
    )
    return {"twilio": twilio, "daily_outbound_cap": 4, "outbound_retry_base": 0.01, "callback_url": ""}


@pytest.fixture
def sms_console(redis_url: str, fake_twilio: FakeTwilio) -> Iterator[Console]:
    """The console with the SMS channel on (fake Twilio)."""
    with running_console(redis_url, **sms_settings(fake_twilio)) as handle:
        yield handle


def opt_out(console: Console) -> None:
    console.run(lambda store, _: OptOutStore(store.redis).opt_out(SID))


def states(console: Console, client: object) -> list[tuple[str, str]]:
    lines = client.get(f"/api/c/{SID}").json()["lines"]  # type: ignore[attr-defined]
    return [(line["text"], line["delivery"]["status"]) for line in lines if line["who"] == "mediator"]


def test_states_come_from_the_provider_answer(sms_console: Console, fake_twilio: FakeTwilio) -> None:
    sms_console.seed(SID)
    alice = sms_console.login("alice")
    assert post(alice, f"/c/{SID}/claim").json()["ok"]
    assert post(alice, f"/c/{SID}/reply", text=ARABIC).json()["ok"]
    assert " ".join(fake_twilio.bodies_to("+33612345678")[1:]) == ARABIC
    fake_twilio.fail_next = 4  # every attempt fails
    failed = post(alice, f"/c/{SID}/reply", text="Vous êtes là ?")
    assert failed.status_code == 409 and "Twilio 500" in failed.json()["error"]
    opt_out(sms_console)
    refused = post(alice, f"/c/{SID}/reply", text="Bonne journée")
    assert refused.status_code == 409 and "STOP" in refused.json()["error"]
    assert states(sms_console, alice) == [
        ("Bonjour, un médiateur PIMMS prend votre demande. Il vous répond ici.", "sent"),
        (ARABIC, "sent"),
        ("Vous êtes là ?", "provider_error"),
        ("Bonne journée", "refused"),
    ]
    assert len(fake_twilio.bodies_to("+33612345678")) == 3  # claim + two UCS-2 parts; nothing else left


def test_the_daily_cap_never_holds_back_a_mediator(sms_console: Console, fake_twilio: FakeTwilio) -> None:
    # Issue 22, L4: the cap (4 here) is for automatic messages; a person answering a resident is never refused.
    sms_console.seed(SID)
    alice = sms_console.login("alice")
    post(alice, f"/c/{SID}/claim")
    answers = [post(alice, f"/c/{SID}/reply", text=f"Message {i}") for i in range(6)]
    assert [a.status_code for a in answers] == [200] * 6
    assert states(sms_console, alice)[-1] == ("Message 5", "sent")
    assert len(fake_twilio.bodies_to("+33612345678")) == 7  # the claim notice and six replies


@pytest.mark.browser
@pytest.mark.timeout(120)
def test_chromium_shows_each_message_s_delivery_state(sms_console: Console, fake_twilio: FakeTwilio) -> None:
    require_chromium()
    from playwright.sync_api import expect, sync_playwright

    sms_console.seed(SID)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, env=browser_env())
        page = browser.new_context(locale="fr-FR").new_page()
        page.set_default_timeout(15000)
        page.goto(sms_console.url + "/login")
        page.fill("input[name=name]", "alice")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.goto(sms_console.url + "/c/" + SID.replace("+", "%2B"))
        page.click("#claim")
        expect(page.locator("#status")).to_have_text("Vous suivez cette conversation")
        transcript = page.locator("#transcript")

        page.fill("#reply-text", ARABIC)
        page.click("#send")
        last = transcript.locator("li.mediator").last
        expect(last).to_contain_text(ARABIC)
        expect(last.locator(".delivery.sent")).to_have_text("Envoyé (2 SMS)")

        fake_twilio.fail_next = 4  # every attempt fails
        page.fill("#reply-text", "Vous êtes là ?")
        page.click("#send")
        expect(page.locator("#error")).to_contain_text("Message non remis")
        last = transcript.locator("li.mediator").last
        expect(last).to_contain_text("Vous êtes là ?")
        expect(last.locator(".delivery.provider_error")).to_contain_text("Erreur de l'opérateur : Twilio 500")

        opt_out(sms_console)
        page.fill("#reply-text", "Bonne journée")
        page.click("#send")
        last = transcript.locator("li.mediator").last
        expect(last).to_contain_text("Bonne journée")
        expect(last.locator(".delivery.refused")).to_have_text("Non envoyé : la personne a demandé STOP")

        page.reload()  # the states survive a reload (server-rendered from the delivery log)
        expect(transcript.locator(".delivery.sent")).to_have_count(2)
        expect(transcript.locator(".delivery.provider_error")).to_have_count(1)
        expect(transcript.locator(".delivery.refused")).to_have_count(1)
        browser.close()
    assert len(fake_twilio.bodies_to("+33612345678")) == 3
