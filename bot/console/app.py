"""Application factory of the mediators' console."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import redis.asyncio as aioredis
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot import redis_connect
from bot.activity.log import ActivityLog
from bot.console import dead_letters, privacy, routes, sse
from bot.console.agenda import agenda_routes, build_day_deps
from bot.console.alert_links import link_routes
from bot.console.auth import MediatorAccounts, Sessions
from bot.console.devices import KnownDevices
from bot.console.refs import ConversationRefs
from bot.console.report_routes import report_routes
from bot.console.throttle import LoginThrottle
from bot.handoff.idle import IdleSweeper
from bot.handoff.rasa_api import RasaApi
from bot.handoff.refs import backfill
from bot.handoff.service import HandoffService, Router
from bot.handoff.store import HandoffStore, conv_key
from bot.handoff.watcher import HandoffWatcher
from bot.settings import ConfigError, Settings
from bot.sites import load_sites

HERE = Path(__file__).resolve().parent
log = logging.getLogger(__name__)
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
    throttle: LoginThrottle
    devices: KnownDevices
    https: bool = False


class SecurityHeaders:
    """Adds a strict CSP (no inline script: resident text can never run), anti-framing headers and, behind
    HTTPS, HSTS."""

    def __init__(self, app: ASGIApp, https: bool = False) -> None:
        self.app = app
        self.extra = [(b"strict-transport-security", b"max-age=31536000")] if https else []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                own_csp = any(name.lower() == b"content-security-policy" for name, _ in headers)
                headers += [h for h in SECURITY_HEADERS if not (own_csp and h[0] == b"content-security-policy")]
                headers += self.extra
                if not scope["path"].startswith("/static/"):
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


SHUTDOWN_STEP_SECONDS = 3.0


async def _bounded(what: str, awaitable: Awaitable[Any]) -> None:
    """Await one shutdown step, but never let it hold the process: log and move on."""
    try:
        await asyncio.wait_for(awaitable, SHUTDOWN_STEP_SECONDS)
    except asyncio.TimeoutError:
        log.warning("console shutdown: %s did not finish in %.0f s, going on", what, SHUTDOWN_STEP_SECONDS)
    except Exception as exc:  # a broken connection must not stop the rest of the shutdown
        log.warning("console shutdown: %s failed: %s", what, exc)


async def _shutdown(watcher: asyncio.Task[None], api: RasaApi, redis: aioredis.Redis) -> None:
    """Stop the watcher, then close the Rasa client and Redis, each step bounded in time."""
    watcher.cancel()
    done, _ = await asyncio.wait({watcher}, timeout=SHUTDOWN_STEP_SECONDS)
    if not done:
        log.warning("console shutdown: the hand-off watcher did not stop in time")
    await _bounded("closing the Rasa API client", api.close())
    await _bounded("closing Redis", redis.close(close_connection_pool=True))


def _privacy_deps(settings: Settings, redis: aioredis.Redis) -> privacy.PrivacyDeps:
    from bot.privacy import wiring
    from bot.privacy.access_log import AccessLog
    from bot.privacy.export import Exporter

    eraser = wiring.eraser(settings, redis)
    return privacy.PrivacyDeps(
        AccessLog(redis, settings.access_log_seconds), Exporter(redis, eraser.store, settings.retention_days), eraser
    )


def create_app(
    settings: Settings,
    *,
    router: Router | None = None,
    rasa: RasaApi | None = None,
    watch_interval: float = 1.5,
    idle_interval: float | None = None,
    now: Callable[[], datetime] | None = None,
) -> Starlette:
    """The console app; Redis, the outbound router and the hand-off watcher start with it."""
    if not settings.console_secret:
        raise ConfigError("CONSOLE_SECRET is required to sign the console's sessions")
    templates = Jinja2Templates(directory=str(HERE / "templates"))

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        redis = redis_connect.client(settings, timeout=None)
        if router is None:
            from bot.outbound import build_outbound

            outbound: Any = build_outbound(settings, redis)
        else:
            outbound = router
        api = rasa or RasaApi(settings.rasa_url, settings.rasa_token)
        activity = ActivityLog(redis, retention_days=settings.activity_retention_days)
        service = HandoffService(
            HandoffStore(redis, ttl=settings.retention_seconds), api, outbound, activity, ZoneInfo(settings.timezone)
        )
        app.state.day = build_day_deps(settings, redis, outbound, now)
        app.state.deps = ConsoleDeps(
            redis,
            MediatorAccounts(redis),
            Sessions(redis, settings.console_secret),
            service,
            templates,
            LoginThrottle(redis, now),
            KnownDevices(settings.console_secret),
            settings.https,
        )
        app.state.privacy = _privacy_deps(settings, redis)
        await _bounded("indexing older conversation references", backfill(redis, conv_key("")))
        watcher = asyncio.create_task(HandoffWatcher(service, watch_interval).run())
        sites = load_sites(settings.sites_file)
        sweeper = IdleSweeper(
            service,
            settings.handoff_idle_timeout,
            ack_interval=settings.handoff_ack_interval,
            site=sites.default,
            tz=sites.tz,
        )
        idle = asyncio.create_task(sweeper.run(idle_interval or settings.handoff_idle_sweep))
        try:
            yield
        finally:
            idle.cancel()
            await _shutdown(watcher, api, redis)

    conversation = "/c/{sender_id}"
    return Starlette(
        routes=[
            Route("/login", routes.login_page, methods=["GET"]),
            Route("/login", routes.login_submit, methods=["POST"]),
            Route("/logout", routes.logout, methods=["POST"]),
            Route("/", routes.queue_page, methods=["GET"]),
            Route("/non-remis", dead_letters.dead_letters_page, methods=["GET"]),
            Route("/api/non-remis", dead_letters.dead_letters_json, methods=["GET"]),
            Route("/api/queue", routes.queue_json, methods=["GET"]),
            Route("/events/queue", sse.queue_events, methods=["GET"]),
            Route(conversation, routes.conversation_page, methods=["GET"]),
            Route("/api" + conversation, routes.conversation_json, methods=["GET"]),
            Route("/events" + conversation, sse.conversation_events, methods=["GET"]),
            Route(conversation + "/claim", routes.claim, methods=["POST"]),
            Route(conversation + "/reply", routes.reply, methods=["POST"]),
            Route(conversation + "/note", routes.note, methods=["POST"]),
            Route(conversation + "/takeover", routes.take_over, methods=["POST"]),
            Route(conversation + "/transfer", routes.transfer, methods=["POST"]),
            Route(conversation + "/handback", routes.hand_back, methods=["POST"]),
            Route(conversation + "/close", routes.close, methods=["POST"]),
            *agenda_routes(),
            *report_routes(),
            *link_routes(),
            Route("/donnees", privacy.data_page, methods=["GET"]),
            Route("/donnees/export", privacy.export, methods=["POST"]),
            Route("/donnees/erase", privacy.erase, methods=["POST"]),
            Route(conversation + "/export", privacy.export, methods=["POST"]),
            Route(conversation + "/erase", privacy.erase, methods=["POST"]),
            Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
        ],
        middleware=[Middleware(SecurityHeaders, https=settings.https), Middleware(ConversationRefs)],
        lifespan=lifespan,
    )
