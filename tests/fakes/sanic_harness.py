"""Run a channel blueprint on a real Sanic server (127.0.0.1, free port) with an echo on_new_message."""

from __future__ import annotations

import asyncio
import itertools
import queue
import threading
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Sanic
from twilio.request_validator import RequestValidator

from bot.ops.processes import free_port
from bot.settings import Settings, TelegramSettings, TwilioSettings
from channels.telegram import TelegramInput
from channels.twilio_sms import TwilioSmsInput
from tests.fakes.twilio_server import AUTH_TOKEN

TWILIO_SID = "ACtest00000000000000000000000000"
TWILIO_TOKEN = AUTH_TOKEN
TG_TOKEN = "123456:TEST-token"
TG_SECRET = "test-secret"


def credentials(**changes: Any) -> dict[str, Any]:
    """A channel's credentials entry as bot/ops/channels_config.py writes it: the test environment's settings,
    with ``changes``."""
    return {"settings": replace(Settings.from_env(), **changes).as_dict()}


def sms_channel(
    redis_url: str,
    twilio_url: str,
    base: str = "",
    burst: float = 0.2,
    notice: bool = False,
    data_dir: Path | None = None,
) -> TwilioSmsInput:
    """The SMS channel; the first-contact notice is off unless asked (these tests count the replies)."""
    creds = credentials(
        twilio=TwilioSettings(TWILIO_SID, TWILIO_TOKEN, "+33700000000", api_base_url=twilio_url),
        public_base_url=base or "https://pimms.example.org",
        redis_url=redis_url,
        sms_max_messages=4,
        sms_burst_window=burst,
        privacy_notice=notice,
        **({"data_dir": data_dir} if data_dir else {}),
    )
    channel = TwilioSmsInput.from_credentials(creds)
    assert isinstance(channel, TwilioSmsInput)
    return channel


def tg_channel(redis_url: str, telegram_url: str, notice: bool = False) -> TelegramInput:
    """The Telegram channel; the first-contact notice is off unless asked."""
    creds = credentials(
        telegram=TelegramSettings(TG_TOKEN, TG_SECRET, api_base_url=telegram_url),
        redis_url=redis_url,
        privacy_notice=notice,
    )
    channel = TelegramInput.from_credentials(creds)
    assert isinstance(channel, TelegramInput)
    return channel


class Echo:
    """A stub Rasa: records user messages and answers "echo: <text>" through their output channel."""

    def __init__(self) -> None:
        self.received: list[UserMessage] = []

    async def __call__(self, message: UserMessage) -> None:
        self.received.append(message)
        if message.text == "menu":
            await message.output_channel.send_text_with_buttons(
                message.sender_id,
                "Confirmez-vous ?",
                [{"title": "Oui", "payload": "/affirm"}, {"title": "Non", "payload": "/deny"}],
            )
            return
        await message.output_channel.send_text_message(message.sender_id, f"echo: {message.text}")


@asynccontextmanager
async def serve(channel: InputChannel, handler: Echo) -> AsyncIterator[str]:
    """Serve the channel's blueprint at /webhooks/<name>/; yield the base URL."""
    Sanic.test_mode = True
    app = Sanic(f"channel_test_{uuid.uuid4().hex[:10]}")
    app.blueprint(channel.blueprint(handler), url_prefix=f"/webhooks/{channel.name()}")
    port = free_port()
    server = await app.create_server(host="127.0.0.1", port=port, return_asyncio_server=True, access_log=False)
    assert server is not None
    await server.startup()
    await server.start_serving()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        runtime = getattr(channel, "runtime", None)
        if runtime is not None:
            await runtime.drain()
        server.close()
        await server.wait_closed()


def twilio_form(body: str, sid: str, phone: str = "+33612345678", **extra: str) -> dict[str, Any]:
    """A Twilio inbound SMS form."""
    return {
        "MessageSid": sid,
        "SmsSid": sid,
        "AccountSid": TWILIO_SID,
        "From": phone,
        "To": "+33700000000",
        "Body": body,
        "NumMedia": "0",
        **extra,
    }


def sign(url: str, form: dict[str, Any], token: str = TWILIO_TOKEN) -> str:
    """X-Twilio-Signature computed by twilio's own RequestValidator."""
    return RequestValidator(token).compute_signature(url, form)


@contextmanager
def serve_in_thread(channel: InputChannel, handler: Echo) -> Iterator[str]:
    """Like ``serve`` but on its own event loop in a thread, for synchronous (hypothesis) tests."""
    ready: queue.Queue[str | BaseException] = queue.Queue()
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()

    async def main() -> None:
        try:
            async with serve(channel, handler) as base:
                ready.put(base)
                await stop.wait()
        except BaseException as exc:  # surfaced to the test thread
            ready.put(exc)

    thread = threading.Thread(target=loop.run_until_complete, args=(main(),), daemon=True)
    thread.start()
    base = ready.get(timeout=30)
    if isinstance(base, BaseException):
        raise base
    try:
        yield base
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join(timeout=30)
        loop.close()


PATH = "/webhooks/sms/webhook"
_sids = itertools.count(1)


def new_sid() -> str:
    """A new Twilio MessageSid."""
    return f"SM{next(_sids):032d}"


async def post_sms(client: httpx.AsyncClient, base: str, form: dict[str, Any], signed: bool = True) -> httpx.Response:
    """Post a Twilio form to the SMS webhook, signed for the public address of the test channel."""
    headers = {"X-Twilio-Signature": sign("https://pimms.example.org" + PATH, form)} if signed else {}
    return await client.post(base + PATH, data=form, headers=headers)


def tg_update(update_id: int, text: str, chat_id: int = 42) -> dict[str, Any]:
    """A Telegram update with a private text message."""
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 1764230400,
            "text": text,
            "chat": {"id": chat_id, "type": "private", "first_name": "Ana"},
            "from": {"id": chat_id, "is_bot": False, "first_name": "Ana"},
        },
    }


async def post_tg(client: httpx.AsyncClient, base: str, body: Any, secret: str = TG_SECRET) -> httpx.Response:
    """Post an update to the Telegram webhook with the secret token."""
    return await client.post(
        base + "/webhooks/telegram/webhook", json=body, headers={"X-Telegram-Bot-Api-Secret-Token": secret}
    )


@asynccontextmanager
async def sms_resident(
    redis_url: str, twilio_url: str, handler: Any, **channel: Any
) -> AsyncIterator[Callable[[str], Awaitable[httpx.Response]]]:
    """The SMS channel served in front of ``handler``; yields ``sms(text)``: a signed SMS from the resident."""
    async with serve(sms_channel(redis_url, twilio_url, **channel), handler) as base, httpx.AsyncClient() as client:

        async def sms(text: str) -> httpx.Response:
            return await post_sms(client, base, twilio_form(text, new_sid()))

        yield sms
