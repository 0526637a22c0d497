"""Agenda pages: a site's day (Paris, today by default), outcomes, cancellations, closures, counters, print, iCal."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

import redis.asyncio as aioredis
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot import wiring
from bot.activity.log import ActivityLog
from bot.booking.agenda import Agenda, AgendaError, Appointment
from bot.booking.cli import build_calendar
from bot.booking.motives import MotiveCatalog
from bot.console.auth import Session, same_token
from bot.console.notices import code_of, text_of
from bot.console.routes import action, page, render
from bot.french_dates import hour_label
from bot.identity import contact
from bot.language.codes import Language
from bot.settings import Settings
from bot.sites import Site, SiteDirectory

LANGUAGE_CODES = {language.value for language in Language}

ICS_TOKEN_KEY = "pimms:agenda:ics-token:"
OUTCOME_LABELS = {"attended": "présent", "no_show": "absent"}


@dataclass
class DayDeps:
    """What the agenda and report pages use."""

    agenda: Agenda
    activity: ActivityLog
    sites: SiteDirectory
    catalog: MotiveCatalog
    settings: Settings
    now: Callable[[], datetime]

    @property
    def redis(self) -> aioredis.Redis:
        """The console's Redis client."""
        return self.activity.redis


def build_day_deps(
    settings: Settings, redis: aioredis.Redis, outbound: Any, now: Callable[[], datetime] | None = None
) -> DayDeps:
    """Agenda and report dependencies over the console's Redis and outbound router."""
    service = wiring.booking_service(settings, redis, now)
    assert service.overrides is not None and service.activity is not None
    return DayDeps(
        Agenda(service, service.overrides, outbound),
        service.activity,
        service.sites,
        service.catalog,
        settings,
        service.now,
    )


def day_deps(request: Request) -> DayDeps:
    """The agenda's dependencies (built in the app's lifespan)."""
    day: DayDeps = request.app.state.day
    return day


def _choice(request: Request, source: dict[str, str] | None = None) -> tuple[Site, date] | None:
    deps = day_deps(request)
    values = source if source is not None else dict(request.query_params)
    site = deps.sites.get(values.get("site", "")) if values.get("site") else deps.sites.default()
    try:
        day = date.fromisoformat(values["day"]) if values.get("day") else deps.now().astimezone(deps.sites.tz).date()
    except ValueError:
        return None
    return (site, day) if site is not None else None


def agenda_url(site: Site, day: date, **extra: str) -> str:
    """The agenda page of a site and day (with a message)."""
    return "/agenda?" + urlencode({"site": site.id, "day": day.isoformat(), **extra})


async def ics_token(redis: aioredis.Redis, site_id: str, renew: bool = False) -> str:
    """The site's secret iCal token (created on first use; ``renew`` replaces it, old links stop working)."""
    key = ICS_TOKEN_KEY + site_id
    if renew:
        await redis.set(key, secrets.token_urlsafe(24))
    else:
        await redis.set(key, secrets.token_urlsafe(24), nx=True)
    raw = await redis.get(key)
    return raw.decode() if isinstance(raw, bytes) else str(raw)


def appointment_row(item: Appointment, deps: DayDeps) -> dict[str, Any]:
    """One line of the agenda (masked number, never the full one)."""
    booking = item.booking
    motive = deps.catalog.get(booking.motive_id)
    end = booking.end.astimezone(deps.sites.tz)
    return {
        "ref": booking.ref,
        "time": f"{hour_label(booking.start)} – {hour_label(end)}",
        "motive": motive.short_label if motive else booking.motive_id,
        "papers": list(motive.papers) if motive else [],
        "contact": contact(booking.user),
        "language": Language(booking.language).native_name if booking.language in LANGUAGE_CODES else "",
        "language_code": booking.language,
        "outcome": item.outcome,
        "outcome_label": OUTCOME_LABELS.get(item.outcome, ""),
        "started": booking.start <= deps.now(),
    }


async def _day_context(request: Request, site: Site, day: date) -> dict[str, Any]:
    deps = day_deps(request)
    items = await deps.agenda.day(site.id, day)
    token = await ics_token(deps.redis, site.id)
    return {
        "sites": deps.sites.sites,
        "site": site,
        "day": day,
        "rows": [appointment_row(i, deps) for i in items],
        "closed": await deps.agenda.overrides.is_closed(site.id, day),
        "extra": await deps.agenda.overrides.extra_counters(site.id, day),
        "ics_url": f"{deps.settings.console_url}/agenda/ics/{site.id}/{token}.ics",
        "message": text_of(request.query_params, "msg"),
        "error": text_of(request.query_params, "erreur"),
    }


@page
async def agenda_page(request: Request, session: Session) -> Response:
    """GET /agenda?site=&day=: the day's appointments and the mediators' actions."""
    chosen = _choice(request)
    if chosen is None:
        return RedirectResponse("/agenda?erreur=bad_choice", status_code=303)
    return render(request, "agenda.html", {"session": session, **await _day_context(request, *chosen)})


@page
async def agenda_print(request: Request, session: Session) -> Response:
    """GET /agenda/imprimer?site=&day=: the day on paper."""
    chosen = _choice(request)
    if chosen is None:
        return RedirectResponse("/agenda", status_code=303)
    return render(request, "agenda_print.html", {"session": session, **await _day_context(request, *chosen)})


def _back(form: dict[str, str], request: Request, message: str = "", error: str = "", **params: str) -> Response:
    """Back to the day with a message code (``msg=`` or ``erreur=``) and its parameters, never text."""
    chosen = _choice(request, form) or (day_deps(request).sites.default(), day_deps(request).now().date())
    extra = {"msg": message} if message else {}
    if error:
        extra["erreur"] = error
    return RedirectResponse(agenda_url(chosen[0], chosen[1], **extra, **params), status_code=303)


def _told(deliveries: list[Any]) -> dict[str, str]:
    """How many residents were told, and the references of those not reached (``bot.console.notices``)."""
    missed = [d.ref for d in deliveries if not d.delivered]
    return (
        {"n": str(len(deliveries) - len(missed)), "refs": ",".join(missed)} if missed else {"n": str(len(deliveries))}
    )


@action
async def mark(request: Request, session: Session, form: dict[str, str]) -> Response:
    """POST /agenda/marquer: attended or no-show."""
    try:
        await day_deps(request).agenda.mark(form.get("ref", ""), form.get("outcome", ""))
    except AgendaError as exc:
        return _back(form, request, error=code_of(str(exc), "agenda_refused"))
    return _back(form, request, form["outcome"], ref=form.get("ref", ""))


@action
async def cancel(request: Request, session: Session, form: dict[str, str]) -> Response:
    """POST /agenda/annuler: cancel for the counter, tell the resident, free the slot."""
    try:
        delivery = await day_deps(request).agenda.cancel(form.get("ref", ""))
    except AgendaError as exc:
        return _back(form, request, error=code_of(str(exc), "agenda_refused"))
    return _back(form, request, "cancelled", ref=delivery.ref, **_told([delivery]))


@action
async def close_day(request: Request, session: Session, form: dict[str, str]) -> Response:
    """POST /agenda/fermer: close the site that day; booked residents are told."""
    chosen = _choice(request, form)
    if chosen is None:
        return _back(form, request, error="bad_choice")
    site, day = chosen
    deliveries = await day_deps(request).agenda.close_day(site.id, day, session.name)
    return _back(form, request, "day_closed", **_told(deliveries))


@action
async def add_counter(request: Request, session: Session, form: dict[str, str]) -> Response:
    """POST /agenda/guichet: one more counter that day."""
    chosen = _choice(request, form)
    if chosen is None:
        return _back(form, request, error="bad_choice")
    extra = await day_deps(request).agenda.add_counter(chosen[0].id, chosen[1])
    return _back(form, request, "counter_added", n=str(extra))


@action
async def renew_ics(request: Request, session: Session, form: dict[str, str]) -> Response:
    """POST /agenda/ical/renouveler: a new secret iCal address (the old one stops working)."""
    chosen = _choice(request, form)
    if chosen is None:
        return _back(form, request, error="bad_site")
    await ics_token(day_deps(request).redis, chosen[0].id, renew=True)
    return _back(form, request, "ics_renewed")


async def ics_export(request: Request) -> Response:
    """GET /agenda/ics/{site}/{token}.ics: the site's upcoming and recent appointments, for calendar apps."""
    deps = day_deps(request)
    site = deps.sites.get(request.path_params["site"])
    expected = await deps.redis.get(ICS_TOKEN_KEY + request.path_params["site"]) if site else None
    given = request.path_params["token"]
    if site is None or not expected or not same_token(expected.decode(), given):
        return Response("Not Found", status_code=404, media_type="text/plain")
    store = deps.agenda.service.store
    bookings = []
    for day in await store.days_with_bookings(site.id):
        bookings += await store.on_day(site.id, day)
    # no contact in the feed: its secret URL ends up in calendar providers and logs (review L2)
    data = build_calendar(bookings, site, deps.catalog, deps.sites.tz, with_contact=False).to_ical()
    return Response(data, media_type="text/calendar; charset=utf-8")


def agenda_routes() -> list[Route]:
    """Routes of the agenda."""
    return [
        Route("/agenda", agenda_page, methods=["GET"]),
        Route("/agenda/imprimer", agenda_print, methods=["GET"]),
        Route("/agenda/marquer", mark, methods=["POST"]),
        Route("/agenda/annuler", cancel, methods=["POST"]),
        Route("/agenda/fermer", close_day, methods=["POST"]),
        Route("/agenda/guichet", add_counter, methods=["POST"]),
        Route("/agenda/ical/renouveler", renew_ics, methods=["POST"]),
        Route("/agenda/ics/{site}/{token}.ics", ics_export, methods=["GET"]),
    ]
