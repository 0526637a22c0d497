"""Issue 9's probes replayed against the running stack: each is refused (403/404/413), changes nothing in
Redis and sends nothing to the fake Twilio and Telegram servers."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import psutil
import pytest
import redis

from bot.ops.endpoints_config import ACTION_TOKEN_HEADER
from bot.settings import PROJECT_ROOT
from tests.integration.conftest import TEST_SECRETS
from tests.integration.stack_client import handoff
from tests.waiting import wait_until

pytestmark = pytest.mark.stack
VICTIM = "sms-33611223344"
TG_CHAT = 5123456789
LOOPBACK = {"127.0.0.1", "::1"}


def snapshot(stack: Any) -> dict[bytes, bytes | None]:
    """Every conversation, booking, hand-off and account key with its serialized value."""
    client = redis.Redis.from_url(stack.redis_url)
    keys = sorted(k for k in client.keys("*") if k.startswith((b"pimms", b"pimmstracker", b"pimmslock")))
    # Rate-limit counters and webhook de-duplication move with any request; everything else must not.
    keys = [k for k in keys if not k.startswith((b"pimms:rl:", b"pimms:dedup:")) and not k.endswith(b"health-check")]
    values = {k: client.dump(k) for k in keys}
    client.close()
    return values


@pytest.fixture
def untouched(stack: Any, fake_twilio: Any, fake_telegram: Any) -> Iterator[None]:
    """Asserts, after the test, that Redis did not change and nothing was sent to a resident."""
    before = snapshot(stack)
    yield
    time.sleep(1.0)  # background work (SMS bursts, Telegram updates) would have run by now
    assert snapshot(stack) == before
    assert fake_twilio.messages == [] and fake_telegram.messages == []


def _raw(port: int, head: str) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(head.encode())
        return sock.recv(1024)


def _action_call(action: str) -> dict[str, Any]:
    return {
        "next_action": action,
        "sender_id": VICTIM,
        "tracker": {"sender_id": VICTIM, "slots": {}, "events": [], "latest_message": {}, "paused": False},
        "domain": {},
        "version": "3.6.21",
    }


def test_forged_action_server_calls_are_refused(stack: Any, untouched: None) -> None:
    """Finding 1: a forged POST :5055/webhook cannot list, cancel or book, nor queue hand-offs."""
    url = f"http://127.0.0.1:{stack.env['ACTION_PORT']}/webhook"
    for action in ("action_booking_list", "action_booking_cancel", "action_booking_submit", "action_handoff_request"):
        assert httpx.post(url, json=_action_call(action), timeout=10).status_code == 403
        forged = {ACTION_TOKEN_HEADER: "guessed-token-123456"}
        assert httpx.post(url, json=_action_call(action), headers=forged, timeout=10).status_code == 403
    assert httpx.get(f"http://127.0.0.1:{stack.env['ACTION_PORT']}/actions", timeout=10).status_code == 403


def _stack_processes(stack: Any) -> list[psutil.Process]:
    procs = []
    for managed in stack.stack.processes.values():
        if managed.process is not None:
            parent = psutil.Process(managed.process.pid)
            procs += [parent, *parent.children(recursive=True)]
    return procs


def test_every_process_listens_on_loopback_only(stack: Any) -> None:
    """Finding 1: `ss -ltn` shows no 0.0.0.0 / public socket for any process of the stack."""
    listening = {}
    for proc in _stack_processes(stack):
        for conn in proc.net_connections("inet"):
            if conn.status == psutil.CONN_LISTEN:
                listening[f"{proc.pid}:{conn.laddr.ip}:{conn.laddr.port}"] = conn.laddr.ip
    ports = {key.rsplit(":", 1)[1] for key in listening}
    assert {stack.env["RASA_PORT"], stack.env["ACTION_PORT"], stack.env["CONSOLE_PORT"]} <= ports
    assert set(listening.values()) <= LOOPBACK, listening


def test_no_secret_on_any_command_line(stack: Any) -> None:
    """Finding 2: `ps` shows no token (Rasa's --auth-token is read from the environment inside the process)."""
    for proc in _stack_processes(stack):
        cmdline = " ".join(proc.cmdline())
        for name, value in TEST_SECRETS.items():
            assert value not in cmdline, f"{name} visible in `ps`: {proc.pid}"


def test_rasa_api_needs_the_token_and_rest_refuses_strangers(stack: Any, untouched: None) -> None:
    """Finding 3: REST is off unless the token is given; nobody talks as sms-<number>."""
    rest = f"{stack.rasa_url}/webhooks/rest/webhook"
    for text in ("mes rendez-vous", "annuler"):
        message = {"sender": VICTIM, "message": text}
        assert httpx.post(rest, json=message, timeout=10).status_code == 403
        assert httpx.post(rest, json=message, headers=stack.rest_headers(), timeout=10).status_code == 403
        callback = f"{stack.rasa_url}/webhooks/callback/webhook"
        assert httpx.post(callback, json=message, timeout=10).status_code == 403
    tracker = f"{stack.rasa_url}/conversations/{VICTIM}/tracker"
    assert httpx.get(tracker, timeout=10).status_code == 401
    assert httpx.post(tracker + "/events", json=[{"event": "restart"}], timeout=10).status_code == 401


@pytest.mark.parametrize("path", ["/webhooks/sms/webhook", "/webhooks/telegram/webhook", "/webhooks/rest/webhook"])
def test_huge_bodies_are_refused_before_being_read(stack: Any, untouched: None, path: str) -> None:
    """Finding 6: the size is checked on the announced length, before the body is read."""
    auth = f"Authorization: Bearer {stack.env['REST_TOKEN']}\r\n" if "rest" in path else ""
    head = (
        f"POST {path} HTTP/1.1\r\nHost: x\r\n{auth}Content-Type: application/json\r\nContent-Length: 40000000\r\n\r\n"
    )
    answer = _raw(int(stack.env["RASA_PORT"]), head)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:100]


def test_long_rest_text_is_refused(stack: Any, untouched: None) -> None:
    """Finding 6: REST text has a length limit."""
    message = {"sender": "attack-long", "message": "annuler " * 400}
    reply = httpx.post(
        f"{stack.rasa_url}/webhooks/rest/webhook", json=message, headers=stack.rest_headers(), timeout=10
    )
    assert reply.status_code == 413


def _tg(stack: Any, body: dict[str, Any]) -> int:
    secret = {"X-Telegram-Bot-Api-Secret-Token": stack.env["TELEGRAM_WEBHOOK_SECRET"]}
    return httpx.post(f"{stack.rasa_url}/webhooks/telegram/webhook", json=body, headers=secret, timeout=10).status_code


def _message(update_id: int, text: str) -> dict[str, Any]:
    chat = {"id": TG_CHAT, "type": "private", "first_name": "Ana"}
    user = {"id": TG_CHAT, "is_bot": False, "first_name": "Ana"}
    return {
        "update_id": update_id,
        "message": {"message_id": update_id, "date": int(time.time()), "text": text, "chat": chat, "from": user},
    }


def test_forged_telegram_callbacks_cannot_unpause_a_held_conversation(stack: Any, fake_telegram: Any) -> None:
    """Finding 6: callback_query.data never reaches Rasa raw; /restart cannot end a mediator's hold."""
    sid = f"tg-{TG_CHAT}"
    base = int(time.time() * 1000) % 1_000_000_000
    assert _tg(stack, _message(base, "je veux parler a un humain")) == 200
    wait_until(lambda: (handoff(stack, sid) or {}).get("state") == "waiting")
    wait_until(lambda: stack.tracker(sid)["paused"])
    fake_telegram.wait_for(1, timeout=30)
    time.sleep(1)
    fake_telegram.clear()
    before = snapshot(stack)
    chat = {"id": TG_CHAT, "type": "private"}
    for index, data in enumerate(("/restart", "/session_start", "/affirm", '/booking_cancel{"x":1}')):
        callback = {
            "id": f"forged-{index}",
            "chat_instance": "x",
            "data": data,
            "from": {"id": TG_CHAT, "is_bot": False, "first_name": "Ana"},
            "message": {"message_id": 1, "date": int(time.time()), "chat": chat, "text": "?"},
        }
        assert _tg(stack, {"update_id": base + 10 + index, "callback_query": callback}) == 200
    assert _tg(stack, _message(base + 20, "/restart")) == 200  # typed: plain text, the hold stays
    for index, kind in enumerate(("channel_post", "edited_channel_post")):
        post = {"message_id": 9, "date": int(time.time()), "chat": {"id": -1001234567890, "type": "channel"}}
        assert _tg(stack, {"update_id": base + 30 + index, kind: post}) == 200
    time.sleep(3)
    tracker = stack.tracker(sid)
    assert tracker["paused"] is True and handoff(stack, sid)["state"] == "waiting"
    assert not [e for e in tracker["events"] if e["event"] in ("restart", "resume")]
    assert [m for m in fake_telegram.messages if m["chat_id"] == TG_CHAT] == []  # the assistant stayed silent
    after = snapshot(stack)
    changed = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
    # Only the resident's own typed "/restart" left traces (their transcript and activity), all about this
    # conversation; the hand-off record itself, bookings and every other conversation are untouched.
    assert all(sid.encode() in k or k == b"pimms:handoff:activity" for k in changed), changed  # + the shared stream
    assert f"pimms:handoff:conv:{sid}".encode() not in changed


def test_placeholder_secrets_refuse_to_start(stack: Any, tmp_path: Path) -> None:
    """Finding 3: `make run` with .env.example's placeholders stops at once with a clear message."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REDIS_URL", "RASA_TOKEN", "CONSOLE_SECRET"))}
    env.update({"RASA_TOKEN": "change-me", "CONSOLE_SECRET": "change-me-too", "PIMMS_DATA_DIR": str(tmp_path)})
    result = subprocess.run(
        [sys.executable, "-m", "bot.ops.runner"], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 1
    assert "RASA_TOKEN looks like a placeholder" in result.stderr and "CONSOLE_SECRET" in result.stderr
    assert not (tmp_path / "redis").exists()  # nothing was started


def test_console_refuses_anonymous_and_unknown_references(stack: Any) -> None:
    """Finding 2/4: no conversation page without a session; references reveal nothing."""
    with httpx.Client(base_url=stack.console_url, timeout=10) as client:
        assert client.get(f"/api/c/{VICTIM}").status_code == 401
        assert client.get("/api/queue").status_code == 401
        assert json.loads(client.get("/events/queue").text or "{}").get("error")
