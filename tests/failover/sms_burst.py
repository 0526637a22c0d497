"""A burst of SMS as Twilio delivers them: each resident writes their messages one after the other, the next
once the answer to the previous one arrived; a webhook that fails or gets no answer is delivered again with the
same MessageSid (Twilio's retry), until it is accepted (HTTP 200)."""

from __future__ import annotations

import concurrent.futures
import json
import time
import urllib.parse
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from bot.security.rasa_auth import BearerToken
from tests.fakes.sanic_harness import TWILIO_SID, sign
from tests.fakes.twilio_server import FakeTwilio

SMS_PATH = "/webhooks/sms/webhook"
MESSAGES = ["bonjour", "quels sont vos horaires", "c koi le numero de la caf", "vous etes ou", "merci", "au revoir"]


@dataclass
class Delivery:
    """One SMS: when it was first posted, how many posts it took, when its answer arrived."""

    phone: str
    text: str
    sid: str
    posted: float = 0.0
    attempts: int = 0
    accepted: float = 0.0
    answered: float = 0.0


@dataclass
class Burst:
    """Residents writing at once to ``bases`` (one base URL, or one per node: deliveries alternate)."""

    bases: list[str]
    env: Mapping[str, str]
    twilio: FakeTwilio
    phones: list[str]
    answer_timeout: float = 120.0
    verify: str | bool = True  # the balancer's certificate
    deliveries: list[Delivery] = field(default_factory=list)
    on_answer: Callable[[Delivery], None] = lambda delivery: None

    def post(self, delivery: Delivery, attempt: int) -> bool:
        """One delivery attempt of ``delivery``; True when accepted."""
        form = {"MessageSid": delivery.sid, "SmsSid": delivery.sid, "AccountSid": TWILIO_SID, "From": delivery.phone}
        form.update({"To": "+33700000000", "Body": delivery.text, "NumMedia": "0"})
        signature = sign(self.env["PUBLIC_BASE_URL"] + SMS_PATH, form, token=self.env["TWILIO_AUTH_TOKEN"])
        base = self.bases[attempt % len(self.bases)]
        try:
            headers = {"X-Twilio-Signature": signature}
            reply = httpx.post(base + SMS_PATH, data=form, headers=headers, timeout=15, verify=self.verify)
        except httpx.HTTPError:
            return False
        return reply.status_code == 200

    def deliver(self, delivery: Delivery, first: int) -> None:
        """Post until accepted (Twilio retries a webhook that failed), at most 60 times, one second apart."""
        delivery.posted = time.monotonic()
        for attempt in range(60):
            delivery.attempts += 1
            if self.post(delivery, first + attempt):
                delivery.accepted = time.monotonic()
                return
            time.sleep(1)
        raise AssertionError(f"{delivery.text!r} from {delivery.phone} never accepted")

    def resident(self, index: int) -> None:
        phone = self.phones[index]
        for number, text in enumerate(MESSAGES):
            delivery = Delivery(phone, text, "SM" + uuid.uuid4().hex)
            self.deliveries.append(delivery)
            before = len(self.twilio.bodies_to(phone))
            self.deliver(delivery, index + number)
            deadline = time.monotonic() + self.answer_timeout
            while len(self.twilio.bodies_to(phone)) <= before:
                if time.monotonic() > deadline:
                    raise AssertionError(f"no answer to {text!r} from {phone}")
                time.sleep(0.05)
            delivery.answered = time.monotonic()
            self.on_answer(delivery)

    def run(self) -> None:
        """Every resident at once; raises the first failure."""
        with concurrent.futures.ThreadPoolExecutor(len(self.phones)) as pool:
            for job in [pool.submit(self.resident, i) for i in range(len(self.phones))]:
                job.result()


def tracker_events(base: str, token: str, sender_id: str) -> list[dict[str, Any]]:
    """The events of a conversation, through Rasa's token-protected HTTP API."""
    quoted = urllib.parse.quote(sender_id, safe="")
    reply = httpx.get(f"{base}/conversations/{quoted}/tracker", headers=BearerToken(token).headers(), timeout=30)
    reply.raise_for_status()
    return list(json.loads(reply.text)["events"])


def user_texts(events: list[dict[str, Any]]) -> list[str]:
    """The residents' messages of a tracker, in order."""
    return [str(e.get("text")) for e in events if e.get("event") == "user"]


def quiet(twilio: FakeTwilio, settle: float = 2.0, timeout: float = 60.0) -> None:
    """Wait until the fake Twilio received nothing for ``settle`` seconds (the last answers' last parts)."""
    deadline = time.monotonic() + timeout
    count, since = len(twilio.messages), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.1)
        if len(twilio.messages) != count:
            count, since = len(twilio.messages), time.monotonic()
        elif time.monotonic() - since >= settle:
            return
    raise AssertionError("the fake Twilio kept receiving messages")


def reference_answers(bases: list[str], env: Mapping[str, str], twilio: FakeTwilio, phone: str, **kw: Any) -> list[str]:
    """The SMS one resident gets for MESSAGES when nothing fails: what every resident of the burst must get."""
    Burst(bases, env, twilio, [phone], **kw).run()
    quiet(twilio)
    return twilio.bodies_to(phone)
