"""A WhatsApp conversation through the running stack and the fake Twilio (driven by the real twilio client):
a file sent, a booking with numbered replies, a hand-off, a mediator's reply delivered, then a late reply
after the 24-hour window: refused, shown in the console, and the approved follow-up template sent instead."""

from __future__ import annotations

import io
import uuid
from typing import Any

import httpx
import pytest
import redis

from bot.console.cli import main as mediators
from bot.settings import Settings
from bot.sites import load_sites
from bot.whatsapp import messages
from bot.whatsapp.window import window_key
from tests.integration.conftest import WHATSAPP_CONTENT_SIDS, WHATSAPP_FROM
from tests.waiting import wait_until

pytestmark = pytest.mark.stack
WA_PATH = "/webhooks/whatsapp/webhook"
PHONE = "+33612340051"
ADDRESS = "whatsapp:" + PHONE
SENDER = "wa-33612340051"
PASSWORD = "mot de passe whatsapp"
MEDIATOR = "wa-med"


def send(stack: Any, fake: Any, body: str, media: tuple[str, ...] = ()) -> None:
    """A WhatsApp message as Twilio posts it: ``whatsapp:`` addresses, media as content types and URLs."""
    sid = "SM" + uuid.uuid4().hex
    form = {"MessageSid": sid, "SmsMessageSid": sid, "AccountSid": fake.account_sid, "From": ADDRESS}
    form.update({"To": WHATSAPP_FROM, "Body": body, "NumMedia": str(len(media)), "WaId": PHONE[1:]})
    for i, kind in enumerate(media):
        form[f"MediaContentType{i}"] = kind
        form[f"MediaUrl{i}"] = (
            f"https://api.twilio.com/2010-04-01/Accounts/{fake.account_sid}/Messages/{sid}/Media/ME{i}"
        )
    url = stack.rasa_url + WA_PATH
    assert fake.send_whatsapp(url, form, public_url=stack.env["PUBLIC_BASE_URL"] + WA_PATH) == 200


def say(stack: Any, fake: Any, body: str, *, expect: str) -> str:
    """Send, then the replies that arrived until one contains ``expect``."""
    before = len(fake.bodies_to(ADDRESS))
    send(stack, fake, body)
    return "\n".join(
        wait_until(
            lambda: [b for b in fake.bodies_to(ADDRESS)[before:] if expect in b] and fake.bodies_to(ADDRESS)[before:]
        )
    )


def console(stack: Any, monkeypatch: pytest.MonkeyPatch) -> tuple[httpx.Client, dict[str, str]]:
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert mediators(["password", MEDIATOR, "--password-stdin"], Settings.from_env(stack.env)) == 0
    client = httpx.Client(base_url=stack.console_url, timeout=20)
    token = client.get("/login").text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
    assert client.post("/login", data={"csrf": token, "name": MEDIATOR, "password": PASSWORD}).status_code == 303
    csrf = client.get(f"/c/{SENDER}").text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
    return client, {"X-Requested-With": "fetch", "X-CSRF-Token": csrf}


@pytest.mark.timeout(120)
def test_whatsapp_booking_handoff_and_a_late_mediator_reply(
    stack: Any, fake_twilio: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A photo alone: the honest answer; the assistant never downloads it.
    before = len(fake_twilio.bodies_to(ADDRESS))
    send(stack, fake_twilio, "", media=("image/jpeg",))
    assert wait_until(lambda: fake_twilio.bodies_to(ADDRESS)[before:]) == [messages.MEDIA]
    assert all(m["From"] == WHATSAPP_FROM for m in fake_twilio.sent() if m["To"] == ADDRESS)

    # A booking with numbered replies, as by SMS.
    assert "Répondez par un numéro" in say(stack, fake_twilio, "rdv", expect="Répondez par un numéro")
    say(stack, fake_twilio, "1", expect="Vaulx-en-Velin")
    assert "Répondez 1, 2 ou 3." in say(stack, fake_twilio, "2", expect="Répondez 1, 2 ou 3.")
    say(stack, fake_twilio, "1", expect="Répondez OUI ou NON")
    assert "C'est réservé" in say(stack, fake_twilio, "oui", expect="C'est réservé")

    # A hand-off; the mediator's reply leaves within the window and Twilio reports it delivered.
    say(stack, fake_twilio, "je veux parler a un conseiller", expect="ANNULER")
    client, fetch = console(stack, monkeypatch)
    assert client.post(f"/c/{SENDER}/claim", headers=fetch).json()["ok"]
    assert client.post(f"/c/{SENDER}/reply", data={"text": "Bonjour, je regarde."}, headers=fetch).json()["ok"]
    sent = wait_until(
        lambda: [m for m in fake_twilio.sent() if m["To"] == ADDRESS and m["Body"] == "Bonjour, je regarde."]
    )
    assert fake_twilio.report_status(sent[0]["sid"], "delivered") == 204
    lines = wait_until(
        lambda: [
            ln
            for ln in client.get(f"/api/c/{SENDER}").json()["lines"]
            if (ln.get("delivery") or {}).get("label") == "Remis"
        ]
    )
    assert lines[0]["text"] == "Bonjour, je regarde."
    conversation = client.get(f"/api/c/{SENDER}").json()
    transcript = [ln["text"] for ln in conversation["lines"]]
    assert conversation["whatsapp"]["open"] and 23 * 3600 < conversation["whatsapp"]["seconds_left"] <= 24 * 3600
    assert messages.media_note(["image/jpeg"]) in transcript  # the mediator sees that a photo was sent

    # 25 hours later (the resident's last message moved back on the stack's clock): free text is refused.
    late = stack.clock.epoch() - 25 * 3600
    redis.Redis.from_url(stack.redis_url).set(window_key(SENDER), f"{late:.3f}", ex=3600)
    fake_twilio.whatsapp_inbound[ADDRESS] = late
    count = len(fake_twilio.sent())
    answer = client.post(f"/c/{SENDER}/reply", data={"text": "Votre dossier est complet."}, headers=fetch).json()
    assert not answer["ok"] and "plus de 24 h" in answer["error"]
    lines = client.get(f"/api/c/{SENDER}").json()["lines"]
    assert lines[-1]["text"] == "Votre dossier est complet." and lines[-1]["delivery"]["status"] == "refused"
    page = client.get(f"/c/{SENDER}").text
    assert "Plus de 24 h sans message de la personne" in page and "/modele" in page  # the template on offer
    window = client.get(f"/api/c/{SENDER}").json()["whatsapp"]  # what the open page's stream shows
    assert not window["open"] and window["seconds_left"] == 0 and network_name(stack) in window["template"]
    assert len(fake_twilio.sent()) == count  # nothing left to fail at Twilio

    # The mediator sends the approved follow-up template instead: it leaves by its content id.
    assert client.post(f"/c/{SENDER}/modele", headers=fetch).json()["ok"]
    network = network_name(stack)
    follow_up = WHATSAPP_CONTENT_SIDS["TWILIO_WHATSAPP_CONTENT_FOLLOW_UP"]
    assert wait_until(lambda: fake_twilio.templates_to(ADDRESS)) == [(follow_up, {"1": network})]
    client.close()


def network_name(stack: Any) -> str:
    """The PIMMS network's name, as the follow-up template says it."""
    return load_sites(Settings.from_env(stack.env).sites_file).network
