"""Request handlers: login, queue, conversation pages, JSON API and the mediators' actions."""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from bot.console.access import conversation_accesses, record
from bot.console.auth import SESSION_COOKIE, Session, same_token
from bot.console.canned import CANNED_REPLIES
from bot.console.devices import DEVICE_COOKIE, DEVICE_DAYS
from bot.console.languages import MediatorLanguages
from bot.console.notices import code_of, text_of
from bot.console.refs import SCOPE_KEY as REF_SCOPE_KEY
from bot.console.roles import is_supervisor, require_supervisor
from bot.console.views import conversation_view, queue_view
from bot.handoff.models import TransitionError
from bot.handoff.rasa_api import RasaApiError
from bot.language.codes import PRIOR, Language

COOKIE = SESSION_COOKIE
LOGIN_CSRF_COOKIE = "pimms_login_csrf"
LANGUAGE_CHOICES = [(language.value, language.native_name) for language in Language if language != PRIOR]
MAX_REPLY = 1000
Handler = Callable[[Request], Awaitable[Response]]


def deps(request: Request) -> Any:
    """The console's dependencies (built in the app's lifespan)."""
    return request.app.state.deps


def is_fetch(request: Request) -> bool:
    """Whether the console's JavaScript made the request (answer JSON, not a redirect)."""
    return request.headers.get("x-requested-with") == "fetch"


def render(request: Request, name: str, context: dict[str, Any], status_code: int = 200) -> Response:
    """A page from templates/ (autoescaped)."""
    page: Response = deps(request).templates.TemplateResponse(request, name, context, status_code=status_code)
    return page


async def current_session(request: Request) -> Session | None:
    """The logged-in mediator, if any."""
    session: Session | None = await deps(request).sessions.load(request.cookies.get(COOKIE))
    return session


def page(handler: Callable[[Request, Session], Awaitable[Response]]) -> Handler:
    """A page for logged-in mediators; others go to the login page."""

    async def wrapped(request: Request) -> Response:
        session = await current_session(request)
        if session is None:
            return RedirectResponse("/login", status_code=303)
        return await handler(request, session)

    return wrapped


def api(handler: Callable[[Request, Session], Awaitable[Response]]) -> Handler:
    """A JSON or event-stream endpoint for logged-in mediators (401 otherwise)."""

    async def wrapped(request: Request) -> Response:
        session = await current_session(request)
        if session is None:
            return JSONResponse({"error": "non connecté"}, status_code=401)
        return await handler(request, session)

    return wrapped


def action(handler: Callable[[Request, Session, dict[str, str]], Awaitable[Response]]) -> Handler:
    """A POST for logged-in mediators carrying the session's CSRF token (form field or header)."""

    async def wrapped(request: Request) -> Response:
        session = await current_session(request)
        if session is None:
            return JSONResponse({"error": "non connecté"}, status_code=401)
        form = {k: str(v) for k, v in (await request.form()).items()}
        token = request.headers.get("x-csrf-token") or form.get("csrf")
        if not same_token(session.csrf, token):
            return JSONResponse({"error": "jeton CSRF invalide"}, status_code=403)
        return await handler(request, session, form)

    return wrapped


def conversation_url(request: Request, sender_id: str) -> str:
    """Path of the conversation page of this request: its opaque reference when it came with one."""
    return "/c/" + quote(str(request.scope.get(REF_SCOPE_KEY) or sender_id), safe="")


def secure_cookies(request: Request) -> bool:
    """Cookies are ``Secure`` behind HTTPS (PUBLIC_BASE_URL https, CONSOLE_HTTPS, or an https request)."""
    return bool(deps(request).https) or request.url.scheme == "https"


def done(request: Request, sender_id: str, error: str = "", code: str = "refused") -> Response:
    """JSON for the console's JavaScript (with the detailed text), a redirect for a plain form (with a message
    code only: ``bot.console.notices``; ``code`` when the text is not one of the fixed ones)."""
    if is_fetch(request):
        return JSONResponse({"ok": not error, "error": error}, status_code=409 if error else 200)
    target = conversation_url(request, sender_id) if sender_id else "/"
    return RedirectResponse(target + ("?erreur=" + code_of(error, code) if error else ""), status_code=303)


# --- login ---------------------------------------------------------------------------------------------
async def login_form(request: Request, error: str = "", status_code: int = 200) -> Response:
    """The login page with a fresh double-submit CSRF token."""
    token = secrets.token_urlsafe(24)
    response = render(request, "login.html", {"csrf": token, "error": error}, status_code)
    response.set_cookie(
        LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", path="/login", secure=secure_cookies(request)
    )
    return response


def wait_label(seconds: int) -> str:
    """``12 s`` or ``3 min``."""
    return f"{max(1, seconds)} s" if seconds < 60 else f"{max(1, round(seconds / 60))} min"


async def login_page(request: Request) -> Response:
    """GET /login."""
    return await login_form(request)


async def login_submit(request: Request) -> Response:
    """POST /login: check CSRF, then the password (argon2)."""
    form = await request.form()
    if not same_token(request.cookies.get(LOGIN_CSRF_COOKIE, ""), str(form.get("csrf", ""))):
        return await login_form(request, "Session expirée, réessayez.", 403)
    name, password = str(form.get("name", "")).strip(), str(form.get("password", ""))
    throttle, address = deps(request).throttle, request.client.host if request.client else "?"
    devices, device = deps(request).devices, request.cookies.get(DEVICE_COOKIE)
    # the attempt is counted before the password is checked: parallel guesses cannot pass the limits
    verdict = await throttle.reserve(name, address, known_device=devices.knows(device, name))
    if not verdict.allowed:  # refused before any hashing: a flood costs almost nothing
        return await login_form(request, f"Trop de tentatives. Réessayez dans {wait_label(verdict.retry_after)}.", 429)
    if not await deps(request).accounts.verify(name, password):
        return await login_form(request, "Nom ou mot de passe incorrect.", 401)
    await throttle.succeeded(name, address)
    _, cookie = await deps(request).sessions.create(name)
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(
        COOKIE, cookie, httponly=True, samesite="strict", max_age=12 * 3600, secure=secure_cookies(request)
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    response.set_cookie(
        DEVICE_COOKIE,
        devices.cookie_after_login(device, name),
        httponly=True,
        samesite="strict",
        path="/login",
        max_age=DEVICE_DAYS * 24 * 3600,
        secure=secure_cookies(request),
    )
    return response


@action
async def logout(request: Request, session: Session, form: dict[str, str]) -> Response:
    """POST /logout."""
    await deps(request).sessions.destroy(session)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE)
    return response


# --- pages and JSON ------------------------------------------------------------------------------------
@page
async def queue_page(request: Request, session: Session) -> Response:
    """GET /: the queue and the conversations in progress."""
    view = await queue_view(deps(request).service, session.name)
    supervisor = await is_supervisor(request, session.name)
    languages = {"language_choices": LANGUAGE_CHOICES, "my_languages": await spoken(request).get(session.name)}
    return render(request, "queue.html", {"session": session, "supervisor": supervisor, **view, **languages})


def spoken(request: Request) -> MediatorLanguages:
    """The languages mediators speak (issue 23)."""
    return MediatorLanguages(deps(request).service.store.redis)


@action
async def my_languages(request: Request, session: Session, form: dict[str, str]) -> Response:
    """POST /mes-langues: the languages the logged-in mediator speaks besides French."""
    codes = [code for code, _ in LANGUAGE_CHOICES if form.get(f"lang_{code}")]
    await spoken(request).set(session.name, codes)
    return RedirectResponse("/", status_code=303)


async def conversation_snapshot(request: Request, sender_id: str) -> dict[str, Any] | None:
    """The conversation's view (page, JSON and stream alike) with, on WhatsApp, the 24-hour window's state."""
    view = await conversation_view(deps(request).service, sender_id)
    whatsapp = getattr(request.app.state, "whatsapp", None)  # bot/console/whatsapp.py (WhatsApp channel on)
    if view is not None:
        view["whatsapp"] = await whatsapp.state(deps(request).redis, sender_id) if whatsapp else None
    return view


@page
async def conversation_page(request: Request, session: Session) -> Response:
    """GET /c/{sender_id}: transcript, notes and actions."""
    sender_id = request.path_params["sender_id"]
    view = await conversation_snapshot(request, sender_id)
    if view is None:
        return render(request, "missing.html", {"session": session}, 404)
    await record(request, session.name, "open", sender_id)
    supervisor = await is_supervisor(request, session.name)
    colleagues = [n for n in await deps(request).accounts.names() if n != session.name]
    return render(
        request,
        "conversation.html",
        {
            "session": session,
            "c": view,
            "canned": CANNED_REPLIES,
            "colleagues": colleagues,
            "whatsapp": view["whatsapp"],
            "error": text_of(request.query_params, "erreur"),
            "mine": view["mediator"] == session.name,
            "supervisor": supervisor,
            "accesses": await conversation_accesses(request, sender_id) if supervisor else [],
            "reminders": await _reminders(request, sender_id),
        },
    )


async def _reminders(request: Request, sender_id: str) -> dict[str, Any]:
    """The resident's deadline reminders (bot/console/reminders.py, set on the app: it imports this module)."""
    view = getattr(request.app.state, "reminders_view", None)
    found: dict[str, Any] = await view(request, sender_id) if view else {"active": [], "choices": []}
    return found


@api
async def queue_json(request: Request, session: Session) -> Response:
    """GET /api/queue."""
    return JSONResponse(await queue_view(deps(request).service, session.name))


@api
async def conversation_json(request: Request, session: Session) -> Response:
    """GET /api/c/{sender_id}: the transcript as JSON (a read, recorded in the access log)."""
    sender_id = request.path_params["sender_id"]
    view = await conversation_snapshot(request, sender_id)
    if view is None:
        return JSONResponse({"error": "inconnu"}, status_code=404)
    await record(request, session.name, "read", sender_id)
    return JSONResponse(view)


# --- actions -------------------------------------------------------------------------------------------
async def _run(request: Request, sender_id: str, step: Awaitable[Any]) -> Response:
    try:
        await step
    except TransitionError as exc:
        return done(request, sender_id, str(exc))
    except RasaApiError:
        return done(request, sender_id, "L'assistant ne répond pas. Réessayez dans un instant.")
    except Exception as exc:  # delivery errors from the outbound router
        return done(request, sender_id, f"Message non remis ({type(exc).__name__}).", "not_delivered")
    return done(request, sender_id)


@action
async def claim(request: Request, session: Session, form: dict[str, str]) -> Response:
    """POST /c/{sender_id}/claim."""
    sender_id = request.path_params["sender_id"]
    await record(request, session.name, "claim", sender_id)
    return await _run(request, sender_id, deps(request).service.claim(sender_id, session.name))


@action
async def reply(request: Request, session: Session, form: dict[str, str]) -> Response:
    """POST /c/{sender_id}/reply: deliver through the resident's channel and record it."""
    sender_id, text = request.path_params["sender_id"], form.get("text", "").strip()
    if not text or len(text) > MAX_REPLY:
        return done(request, sender_id, f"Message vide ou trop long (max {MAX_REPLY} caractères).")
    try:
        result = await deps(request).service.reply(sender_id, session.name, text)
    except TransitionError as exc:
        return done(request, sender_id, str(exc))
    except RasaApiError:
        return done(request, sender_id, "L'assistant ne répond pas. Réessayez dans un instant.")
    await record(request, session.name, "reply", sender_id)
    return done(request, sender_id, "" if result.ok else f"Message non remis. {result.label()}.", "not_delivered")


@action
async def note(request: Request, session: Session, form: dict[str, str]) -> Response:
    """POST /c/{sender_id}/note: an internal note, never sent."""
    sender_id, text = request.path_params["sender_id"], form.get("text", "").strip()
    if not text or len(text) > MAX_REPLY:
        return done(request, sender_id, "Note vide ou trop longue.")
    await record(request, session.name, "note", sender_id)
    return await _run(request, sender_id, deps(request).service.store.add_note(sender_id, session.name, text))


@action
@require_supervisor
async def take_over(request: Request, session: Session, form: dict[str, str]) -> Response:
    """POST /c/{sender_id}/takeover: a supervisor takes any conversation (waiting or held by anyone)."""
    sender_id = request.path_params["sender_id"]
    await record(request, session.name, "take_over", sender_id)
    return await _run(request, sender_id, deps(request).service.take_over(sender_id, session.name))


@action
async def transfer(request: Request, session: Session, form: dict[str, str]) -> Response:
    """POST /c/{sender_id}/transfer (a supervisor may reassign anyone's conversation)."""
    sender_id, to = request.path_params["sender_id"], form.get("to", "").strip()
    if to not in await deps(request).accounts.names():
        return done(request, sender_id, "Médiateur inconnu.")
    boss = await is_supervisor(request, session.name)
    await record(request, session.name, "transfer", sender_id)
    return await _run(request, sender_id, deps(request).service.transfer(sender_id, session.name, to, supervisor=boss))


@action
async def hand_back(request: Request, session: Session, form: dict[str, str]) -> Response:
    """POST /c/{sender_id}/handback: the assistant answers again."""
    sender_id = request.path_params["sender_id"]
    boss = await is_supervisor(request, session.name)
    await record(request, session.name, "hand_back", sender_id)
    return await _run(request, sender_id, deps(request).service.hand_back(sender_id, session.name, supervisor=boss))


@action
async def close(request: Request, session: Session, form: dict[str, str]) -> Response:
    """POST /c/{sender_id}/close (a supervisor may close any conversation)."""
    sender_id = request.path_params["sender_id"]
    boss = await is_supervisor(request, session.name)
    await record(request, session.name, "close", sender_id)
    return await _run(request, sender_id, deps(request).service.close(sender_id, session.name, supervisor=boss))
