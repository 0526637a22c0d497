"""On the running stack: the mediators' Telegram group hears of normal and urgent hand-offs (a link only, issue 22
M8),
and knowledge-base answers reach the pseudonymised activity log through Rasa's event broker."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx
import pytest
import redis

from tests.integration.conftest import MEDIATOR_GROUP
from tests.integration.stack_client import send_sms

pytestmark = pytest.mark.stack


def group_messages(fake_telegram: Any, count: int) -> list[str]:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        found = [m["text"] for m in fake_telegram.messages if m.get("chat_id") == int(MEDIATOR_GROUP)]
        if len(found) >= count:
            return found
        time.sleep(0.2)
    raise AssertionError(f"expected {count} group alerts, got {fake_telegram.messages}")


def test_normal_and_urgent_hand_offs_alert_the_group_with_a_link_only(
    stack: Any, fake_twilio: Any, fake_telegram: Any
) -> None:
    urgent = "sms-33655443322"
    send_sms(stack, "+33699887766", "je veux parler a un humain svp")
    first = group_messages(fake_telegram, 1)[0]
    assert first.startswith("Nouvelle demande : ") and "/o/" in first and "\n" not in first
    before_link = first.split("http", 1)[0]
    assert not any(c.isdigit() for c in before_link) and "humain" not in first and "SMS" not in first

    send_sms(stack, "+33655443322", "je veux mourir")
    second = group_messages(fake_telegram, 2)[1]
    assert second.startswith("Nouvelle demande (urgente) : ") and "\n" not in second
    deadline = time.monotonic() + 30  # the emergency numbers reach the resident too
    while not any("3114" in b for b in fake_twilio.bodies_to("+33655443322")) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert any("3114" in body for body in fake_twilio.bodies_to("+33655443322"))
    for private in ("22", "655443322", "mourir", "suicid", "danger", "SMS", "Thème"):
        assert private not in second.split("http", 1)[0]

    # The link is opaque, resolves in Redis, and the console wants a login before showing anything.
    link = second.rsplit(" : ", 1)[1].strip()
    token = link.rsplit("/o/", 1)[1]
    assert redis.Redis.from_url(stack.redis_url).get(f"pimms:handoff:link:{token}") == urgent.encode()
    answer = httpx.get(stack.console_url + "/o/" + token, follow_redirects=False, timeout=10)
    assert answer.status_code == 303 and answer.headers["location"] == "/login"


def test_a_knowledge_base_answer_is_counted_by_theme(stack: Any) -> None:
    texts = stack.texts("stack-activity-1", "comment on demande le rsa jai plus de revenus")
    assert any("caf.fr" in t for t in texts)
    client = redis.Redis.from_url(stack.redis_url)

    def questions() -> list[dict[str, Any]]:
        events = []
        for key in client.scan_iter("pimms:activity:log:*"):
            events += [json.loads(raw) for raw in client.zrange(key, 0, -1)]
        return [e for e in events if e["kind"] == "question" and e.get("topic") == "caf_rsa"]

    deadline = time.monotonic() + 15
    while not questions() and time.monotonic() < deadline:
        time.sleep(0.2)
    found = questions()
    assert found and found[-1]["theme"] == "CAF" and found[-1]["channel"] == "callback"
    assert "stack-activity-1" not in json.dumps(found)
