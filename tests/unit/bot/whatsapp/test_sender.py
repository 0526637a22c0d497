"""The WhatsApp sender through the real twilio client against the fake Twilio, which keeps WhatsApp's window."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

import pytest
from twilio.request_validator import RequestValidator

from bot.outbound.whatsapp_sender import TwilioWhatsAppSender
from tests.fakes.twilio_server import AUTH_TOKEN, FakeTwilio

SID = "ACtest00000000000000000000000000"
FROM = "whatsapp:+14155238886"
TO = "+33612345678"


@pytest.fixture
def status_server() -> Iterator[tuple[str, list[dict[str, str]]]]:
    """Where Twilio's status callbacks land (signature checked)."""
    received: list[dict[str, str]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            form = dict(parse_qsl(self.rfile.read(int(self.headers["Content-Length"])).decode()))
            url = f"http://127.0.0.1:{self.server.server_address[1]}{self.path}"
            if RequestValidator(AUTH_TOKEN).validate(url, form, self.headers.get("X-Twilio-Signature", "")):
                received.append(form)
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            return

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/webhooks/whatsapp/status", received
    httpd.shutdown()


def sender(fake: FakeTwilio, callback: str = "") -> TwilioWhatsAppSender:
    return TwilioWhatsAppSender(SID, AUTH_TOKEN, FROM, fake.base_url, callback)


async def test_a_free_form_message_within_the_window_leaves_from_the_whatsapp_sender(fake_twilio: FakeTwilio) -> None:
    fake_twilio.whatsapp_inbound["whatsapp:" + TO] = fake_twilio.clock()
    whatsapp = sender(fake_twilio)
    sid = await whatsapp.send_whatsapp(TO, "Bonjour, ici l'assistant.")
    await whatsapp.close()
    assert sid.startswith("MM")
    [message] = fake_twilio.sent()
    assert message["From"] == FROM and message["To"] == "whatsapp:" + TO
    assert message["Body"] == "Bonjour, ici l'assistant."


async def test_a_template_leaves_by_content_sid_and_variables_outside_the_window(
    fake_twilio: FakeTwilio, status_server: tuple[str, list[dict[str, str]]]
) -> None:
    url, received = status_server
    whatsapp = sender(fake_twilio, url)
    await whatsapp.send_template(TO, "HX" + "2" * 32, json.dumps({"1": "PIMMS de Lyon"}))
    await whatsapp.close()
    assert fake_twilio.templates_to("whatsapp:" + TO) == [("HX" + "2" * 32, {"1": "PIMMS de Lyon"})]
    time.sleep(0.5)
    assert received == []  # a template is allowed after the window: no failure reported


async def test_a_free_form_message_after_24_hours_is_accepted_then_reported_failed_63016(
    fake_twilio: FakeTwilio, status_server: tuple[str, list[dict[str, str]]]
) -> None:
    url, received = status_server
    fake_twilio.whatsapp_inbound["whatsapp:" + TO] = fake_twilio.clock() - 25 * 3600
    whatsapp = sender(fake_twilio, url)
    sid = await whatsapp.send_whatsapp(TO, "Réponse tardive")  # Twilio answers 201 queued, as it does
    await whatsapp.close()
    deadline = time.monotonic() + 5
    while not received and time.monotonic() < deadline:
        time.sleep(0.05)
    assert received and received[0]["MessageSid"] == sid
    assert received[0]["MessageStatus"] == "failed" and received[0]["ErrorCode"] == "63016"
