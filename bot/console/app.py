"""Application factory of the mediators' console."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import redis.asyncio as aioredis
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.console import routes, sse
from bot.console.auth import MediatorAccounts, Sessions
from bot.handoff.rasa_api import RasaApi
from bot.handoff.service import HandoffService, Router
from bot.handoff.store import HandoffStore
from bot.handoff.watcher import HandoffWatcher
from bot.settings import ConfigError, Settings

HERE = Path(__file__).resolve().parent
SECURITY_HEADERS = [
    (b"content-security-policy", b"default-src 'self'; frame-ancestors 'none'; form-action 'self'"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
]


@dataclass
class ConsoleDeps:
    """What the handlers use."""

    redis: aioredis.Redis
    accounts: MediatorAccounts
    sessions: Sessions
    service: HandoffService
    templates: Jinja2Templates


class SecurityHeaders:
    """Adds a strict CSP (no inline script: resident text can never run) and anti-framing headers."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += SECURITY_HEADERS
                if not scope["path"].startswith("/static/"):
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_app(
    settings: Settings, *, env: Mapping[str, str] | None = None, router: Router | None = None,
    rasa: RasaApi | None = None, watch_interval: float = 1.5,
) -> Starlette:
    """The console app; Redis, the outbound router and the hand-off watcher start with it."""
    if not settings.console_secret:
        raise ConfigError("CONSOLE_SECRET is required to sign the console's sessions")
    templates = Jinja2Templates(directory=str(HERE / "templates"))

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        redis = aioredis.Redis.from_url(settings.redis_url, socket_connect_timeout=5)
        if router is None:
            from bot.outbound import build_outbound

            outbound: Any = build_outbound(settings, redis, env)
        else:
            outbound = router
        api = rasa or RasaApi(settings.rasa_url, settings.rasa_token)
        service = HandoffService(HandoffStore(redis), api, outbound)
        app.state.deps = ConsoleDeps(redis, MediatorAccounts(redis), Sessions(redis, settings.console_secret),
                                     service, templates)
        watcher = asyncio.create_task(HandoffWatcher(service, watch_interval).run())
        try:
            yield
        finally:
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watcher
            await api.close()
            await redis.close()

    conversation = "/c/{sender_id}"
    return Starlette(
        routes=[
            Route("/login", routes.login_page, methods=["GET"]),
            Route("/login", routes.login_submit, methods=["POST"]),
            Route("/logout", routes.logout, methods=["POST"]),
            Route("/", routes.queue_page, methods=["GET"]),
            Route("/api/queue", routes.queue_json, methods=["GET"]),
            Route("/events/queue", sse.queue_events, methods=["GET"]),
            Route(conversation, routes.conversation_page, methods=["GET"]),
            Route("/api" + conversation, routes.conversation_json, methods=["GET"]),
            Route("/events" + conversation, sse.conversation_events, methods=["GET"]),
            Route(conversation + "/claim", routes.claim, methods=["POST"]),
            Route(conversation + "/reply", routes.reply, methods=["POST"]),
            Route(conversation + "/note", routes.note, methods=["POST"]),
            Route(conversation + "/transfer", routes.transfer, methods=["POST"]),
            Route(conversation + "/handback", routes.hand_back, methods=["POST"]),
            Route(conversation + "/close", routes.close, methods=["POST"]),
            Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
        ],
        middleware=[Middleware(SecurityHeaders)],
        lifespan=lifespan,
    )
