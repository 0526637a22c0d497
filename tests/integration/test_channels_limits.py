"""Channel hardening on a real Sanic server (no model needed): body limits before reading, Telegram callbacks
only for buttons we sent, unexpected update types ignored, the REST channel's token (issue 9, findings 3, 6)."""

from __future__ import annotations

import asyncio
import socket
from typing import Any
from urllib.parse import urlparse

import httpx

from bot.settings import Settings
from channels.rest import PrivacyRestInput
from tests.fakes.sanic_harness import (
    PATH,
    Echo,
    post_sms,
    post_tg,
    serve,
    sms_channel,
    tg_channel,
    tg_update,
    twilio_form,
)

REST_TOKEN = "rest-token-for-tests-123"


def _raw(base: str, request: bytes) -> bytes:
    """Send raw bytes (headers only, say) and read the answer the server gives before any body."""
    url = urlparse(base)
    with socket.create_connection((url.hostname, url.port), timeout=5) as sock:
        sock.sendall(request)
        return sock.recv(4096)


def _callback(update_id: int, data: str, chat_id: int = 4242) -> dict[str, Any]:
    return {
        "update_id": update_id,
        "callback_query": {
            "id": f"cbq-{update_id}",
            "chat_instance": "ci",
            "data": data,
            "from": {"id": chat_id, "is_bot": False, "first_name": "Ana"},
            "message": {"message_id": 1, "date": 1764230400, "chat": {"id": chat_id, "type": "private"}, "text": "?"},
        },
    }


async def test_announced_huge_bodies_are_refused_before_being_read(redis_url: str, fake_twilio) -> None:
    echo = Echo()
    async with serve(sms_channel(redis_url, fake_twilio.base_url), echo) as base:
        for path in (PATH, "/webhooks/sms/webhook"):
            head = (
                f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                f"Content-Length: 50000000\r\n\r\n"
            ).encode()
            answer = await asyncio.to_thread(_raw, base, head)  # no body sent: the answer cannot wait for it
            assert answer.startswith(b"HTTP/1.1 413"), answer[:80]
    assert echo.received == [] and fake_twilio.messages == []


async def test_streamed_bodies_are_cut_at_the_limit(redis_url: str, fake_twilio, fake_telegram) -> None:
    echo = Echo()

    async def chunks() -> Any:
        for _ in range(100):
            yield b"x" * 4096  # 400 KB without Content-Length (chunked)

    async with (
        serve(sms_channel(redis_url, fake_twilio.base_url), echo) as sms_base,
        serve(tg_channel(redis_url, fake_telegram.base_url), echo) as tg_base,
        httpx.AsyncClient() as client,
    ):
        assert (await client.post(sms_base + PATH, content=chunks())).status_code == 413
        tg = await client.post(tg_base + "/webhooks/telegram/webhook", content=chunks())
        assert tg.status_code == 413
        # A normal signed message still works on the same server.
        assert (await post_sms(client, sms_base, twilio_form("bonjour", "SM" + "1" * 32))).status_code == 200
        await asyncio.to_thread(fake_twilio.wait_for, 1)
    assert [m.text for m in echo.received] == ["bonjour"]


async def test_forged_callbacks_are_acknowledged_and_never_reach_rasa(redis_url: str, fake_telegram) -> None:
    echo = Echo()
    channel = tg_channel(redis_url, fake_telegram.base_url)
    async with serve(channel, echo) as base, httpx.AsyncClient() as client:
        for update_id, data in ((7001, "/restart"), (7002, "/affirm"), (7003, '/inform{"x": 1}')):
            assert (await post_tg(client, base, _callback(update_id, data))).status_code == 200
        await asyncio.sleep(0.5)
        assert echo.received == []
        assert fake_telegram.messages == []  # nothing said to the chat
        assert {c["method"] for c in fake_telegram.calls} <= {"answerCallbackQuery", "editMessageReplyMarkup"}
        # A button we really sent is accepted once; the reserved /restart never is, even if offered.
        assert await channel.router().send("tg-4242", "Confirmez-vous ?", [{"title": "Oui", "payload": "/affirm"}])
        assert (await post_tg(client, base, _callback(7004, "/affirm"))).status_code == 200
        assert (await post_tg(client, base, _callback(7005, "/affirm"))).status_code == 200
        await asyncio.to_thread(fake_telegram.wait_for, 2)  # the echo of the accepted tap
        await asyncio.sleep(0.3)
        await channel.router().send("tg-4242", "Recommencer ?", [{"title": "Oui", "payload": "/restart"}])
        assert (await post_tg(client, base, _callback(7006, "/restart"))).status_code == 200
        await asyncio.sleep(0.5)
    assert [m.text for m in echo.received] == ["/affirm"]


async def test_unexpected_update_types_are_acknowledged_and_ignored(redis_url: str, fake_telegram) -> None:
    echo = Echo()
    channel_post = {
        "update_id": 7101,
        "channel_post": {"message_id": 3, "date": 1764230400, "chat": {"id": -1001234567890, "type": "channel"}},
    }
    member = {
        "update_id": 7102,
        "my_chat_member": {
            "chat": {"id": 4242, "type": "private"},
            "from": {"id": 4242, "is_bot": False, "first_name": "Ana"},
            "date": 1764230400,
            "old_chat_member": {"status": "member", "user": {"id": 1, "is_bot": True, "first_name": "b"}},
            "new_chat_member": {
                "status": "kicked",
                "user": {"id": 1, "is_bot": True, "first_name": "b"},
                "until_date": 0,
            },
        },
    }
    async with serve(tg_channel(redis_url, fake_telegram.base_url), echo) as base, httpx.AsyncClient() as client:
        for body in (channel_post, member, {"update_id": 7103, "poll": {"id": "p"}}):
            assert (await post_tg(client, base, body)).status_code == 200
        assert (await post_tg(client, base, tg_update(7104, "/restart"))).status_code == 200
        await asyncio.to_thread(fake_telegram.wait_for, 1)
    assert [m.text for m in echo.received] == ["restart"]  # typed "/restart" is text, never Rasa's intent


async def test_rest_channel_needs_its_token_and_refuses_channel_identities(redis_url: str) -> None:
    echo = Echo()
    url = "/webhooks/rest/webhook"
    good = {"Authorization": f"Bearer {REST_TOKEN}"}
    async with (
        serve(PrivacyRestInput(Settings(redis_url=redis_url), REST_TOKEN, deployed=True), echo) as base,
        httpx.AsyncClient() as client,
    ):
        message = {"sender": "integration-1", "message": "bonjour"}
        assert (await client.post(base + url, json=message)).status_code == 403
        assert (
            await client.post(base + url, json=message, headers={"Authorization": "Bearer nope"})
        ).status_code == 403
        for sender in ("sms-33612345678", "tg-4242"):
            impostor = {"sender": sender, "message": "annuler"}
            assert (await client.post(base + url, json=impostor, headers=good)).status_code == 403
        too_long = {"sender": "integration-1", "message": "a" * 5000}
        assert (await client.post(base + url, json=too_long, headers=good)).status_code == 413
        huge = b'{"sender": "x", "message": "' + b"a" * 100_000 + b'"}'
        assert (await client.post(base + url, content=huge, headers=good)).status_code == 413
        assert (await client.post(base + url, content=b"[1]", headers=good)).status_code == 400
        ok = await client.post(base + url, json=message, headers=good)
        assert ok.status_code == 200 and ok.json() == [{"recipient_id": "integration-1", "text": "echo: bonjour"}]
    assert [(m.sender_id, m.text) for m in echo.received] == [("integration-1", "bonjour")]


async def test_rest_channel_without_token_is_open_only_off_deployment(redis_url: str) -> None:
    echo = Echo()
    async with (
        serve(PrivacyRestInput(Settings(redis_url=redis_url), "", deployed=False), echo) as base,
        httpx.AsyncClient() as client,
    ):
        reply = await client.post(base + "/webhooks/rest/webhook", json={"sender": "dev", "message": "bonjour"})
        assert reply.status_code == 200
