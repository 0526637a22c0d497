"""The reminders in the conversation: offers, OUI / NON, plain-words requests, RAPPELS, STOP RAPPEL(S), FAIT.

An offer is pending for ``OFFER_TTL`` in ``pimms:reminders:offer:{sender}`` (the programme, the exact text shown,
the date already given). OUI to it records the consent with that exact text; when the programme needs a detail
(the card's expiry date, the month of the last declaration), OUI asks for it as "RAPPEL <date>" and the
subscription is made when it comes, with the consent to the text accepted. Self-contained: a generic "last offer"
of the dialogue can later call :meth:`ReminderConversation.accept` and :meth:`ReminderConversation.decline`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

import redis.asyncio as aioredis

from bot.activity.log import REMINDER, ActivityLog
from bot.clock import PARIS
from bot.identity import channel_of
from bot.language.store import stored_language
from bot.reminders import texts
from bot.reminders.consent import Command, CommandName, Refusal, label, parse_command, subscribe
from bot.reminders.delivery import wake
from bot.reminders.models import GivenBy, Subscription
from bot.reminders.programmes import Programme, Programmes
from bot.reminders.requests import Request, parse_detail, parse_request
from bot.reminders.schedule import permit_status
from bot.reminders.store import PREFIX, ReminderStore

OFFER_TTL = timedelta(minutes=30)
REMINDER_EVENT = REMINDER  # activity kind; action: subscribed, sent, done, stopped


def offer_key(sender_id: str) -> str:
    return f"{PREFIX}:offer:{sender_id}"


@dataclass(frozen=True)
class Pending:
    """An offer shown and not answered yet (``stage``: ``offer`` waits for OUI, ``detail`` for RAPPEL <date>)."""

    programme: Programme
    text: str
    stage: str = "offer"
    day: date | None = None
    last_declaration: date | None = None

    def to_json(self) -> str:
        return json.dumps(
            {
                "programme": self.programme.value,
                "text": self.text,
                "stage": self.stage,
                "day": self.day.isoformat() if self.day else None,
                "last": self.last_declaration.isoformat() if self.last_declaration else None,
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, raw: str | bytes) -> Pending:
        data = json.loads(raw)
        return cls(
            Programme(data["programme"]),
            data["text"],
            data.get("stage", "offer"),
            date.fromisoformat(data["day"]) if data.get("day") else None,
            date.fromisoformat(data["last"]) if data.get("last") else None,
        )


def channel_name(sender_id: str) -> str:
    """The channel recorded in a consent (``sms``, ``telegram``; ``rest``/``callback`` for the others)."""
    return str(channel_of(sender_id))


def _ask_detail(programme: Programme) -> str:
    return texts.ASK_EXPIRY if programme == Programme.RESIDENCE_PERMIT else texts.ASK_LAST_DECLARATION


class ReminderConversation:
    """What the assistant answers about reminders; every method returns the texts to send."""

    def __init__(
        self,
        redis: aioredis.Redis,
        rules: Programmes,
        now: Callable[[], datetime],
        activity: ActivityLog | None = None,
    ) -> None:
        self.redis = redis
        self.rules = rules
        self.now = now
        self.store = ReminderStore(redis)
        self.activity = activity

    async def _language(self, sender_id: str) -> str:
        """The resident's language (issue 23): the reminders' answers and offers are said in it."""
        return await stored_language(self.redis, sender_id)

    def _today(self) -> date:
        return self.now().astimezone(PARIS).date()

    async def _pending(self, sender_id: str) -> Pending | None:
        raw = await self.redis.get(offer_key(sender_id))
        return Pending.from_json(raw) if raw else None

    async def offers(self, sender_id: str, said: list[str]) -> bool:
        """Whether the last of ``said`` is the offer now waiting for the resident's OUI or NON (the dialogue then
        routes that yes or no here)."""
        pending = await self._pending(sender_id)
        return bool(said) and pending is not None and pending.stage == "offer" and said[-1] == pending.text

    async def _offer(self, sender_id: str, pending: Pending) -> list[str]:
        await self.redis.set(offer_key(sender_id), pending.to_json(), ex=int(OFFER_TTL.total_seconds()))
        return [pending.text]

    def _refusal_for(self, request: Request, language: str = "fr") -> str | None:
        """The guidance instead of an offer: an expired card, a closed window, a date out of range."""
        today = self._today()
        if request.programme == Programme.RESIDENCE_PERMIT and request.day is not None:
            status = permit_status(request.day, today, self.rules.permit)
            if status != "ok":
                guidance = {"expired": texts.PERMIT_EXPIRED, "late": texts.PERMIT_LATE, "too_far": texts.PERMIT_TOO_FAR}
                return texts.render(guidance[status], language=language)
        if request.programme == Programme.ONE_OFF and request.day is not None:
            if request.day <= today or (request.day - today).days > self.rules.one_off_max_days_ahead:
                return texts.render(texts.ONE_OFF_BAD_DATE, language=language)
        return None

    async def offer_after_topic(self, sender_id: str, topic: str | None) -> list[str]:
        """After a knowledge-base answer: the offer of the matching programme (nothing for other topics, nor when
        the resident already has that reminder)."""
        programme = self.rules.offer_topics.get(topic or "")
        if programme is None:
            return []
        active = await self.store.active(sender_id, self._today())
        if any(s.programme == programme for s in active):
            return []
        return await self._offer(
            sender_id, Pending(programme, texts.offer_text(programme, language=await self._language(sender_id)))
        )

    async def request(self, sender_id: str, text: str) -> list[str]:
        """A request in plain words, or the detail (RAPPEL <date>) an accepted offer asked for."""
        pending = await self._pending(sender_id)
        today = self._today()
        if pending is not None and pending.stage == "detail":
            detail = parse_detail(text, today, pending.programme)
            if detail is not None:
                return await self._subscribe_pending(sender_id, pending, detail)
        request = parse_request(text, today)
        if request is None:
            if pending is not None and pending.stage == "detail":
                return [texts.render(_ask_detail(pending.programme), language=await self._language(sender_id))]
            return [texts.render(texts.WHAT_REMINDERS, language=await self._language(sender_id))]
        refusal = self._refusal_for(request, await self._language(sender_id))
        if refusal is not None:
            await self.redis.delete(offer_key(sender_id))
            return [refusal]
        ends = request.day if request.programme == Programme.ONE_OFF else None
        offer = Pending(
            request.programme,
            texts.offer_text(request.programme, ends, await self._language(sender_id)),
            "offer",
            request.day,
            request.last_declaration,
        )
        return await self._offer(sender_id, offer)

    async def has_offer(self, sender_id: str) -> bool:
        """Whether an offer waits for OUI / NON (the dialogue's yes and no go here then)."""
        pending = await self._pending(sender_id)
        return pending is not None and pending.stage == "offer"

    async def accept(self, sender_id: str) -> list[str] | None:
        """OUI: None when no offer is pending (the dialogue answers the yes itself)."""
        pending = await self._pending(sender_id)
        if pending is None or pending.stage != "offer":
            return None
        needs_detail = (pending.programme == Programme.RESIDENCE_PERMIT and pending.day is None) or (
            pending.programme == Programme.QUARTERLY and pending.last_declaration is None
        )
        if needs_detail:
            detail = Pending(pending.programme, pending.text, "detail")
            await self.redis.set(offer_key(sender_id), detail.to_json(), ex=int(OFFER_TTL.total_seconds()))
            return [texts.render(_ask_detail(pending.programme), language=await self._language(sender_id))]
        return await self._subscribe_pending(sender_id, pending, Request(pending.programme, pending.day))

    async def decline(self, sender_id: str) -> list[str] | None:
        """NON: None when no offer is pending."""
        pending = await self._pending(sender_id)
        if pending is None:
            return None
        await self.redis.delete(offer_key(sender_id))
        return [texts.render(texts.DECLINED, language=await self._language(sender_id))]

    async def _subscribe_pending(self, sender_id: str, pending: Pending, detail: Request) -> list[str]:
        await self.redis.delete(offer_key(sender_id))
        last = detail.last_declaration or pending.last_declaration
        day = detail.day or pending.day
        result = await self.set_up(
            sender_id,
            pending.programme,
            channel_name(sender_id),
            day=day,
            last_declaration=last,
            text=pending.text,
            language=await self._language(sender_id),
        )
        if isinstance(result, Refusal):
            return [result.text]
        return [texts.render(texts.SUBSCRIBED, language=await self._language(sender_id))]

    async def set_up(
        self,
        sender_id: str,
        programme: Programme,
        channel: str,
        *,
        day: date | None = None,
        last_declaration: date | None = None,
        months: tuple[int, ...] = (),
        given_by: GivenBy = "resident",
        text: str | None = None,
        language: str = "fr",
    ) -> Subscription | Refusal:
        """Record a subscription with its consent (the resident's OUI, or a mediator at the counter with the resident
        present); ``text``: the exact text accepted, when it differs from the programme's offer."""
        now = self.now()
        result = subscribe(
            sender_id,
            programme,
            channel,
            now,
            self.rules,
            given_by=given_by,
            day=day,
            last_declaration=last_declaration,
            months=months,
            language=language,
        )
        if isinstance(result, Refusal):
            return result
        if text is not None and text != result.consent.text:
            result = replace(result, consent=replace(result.consent, text=text))
        await self.store.subscribe(result)
        await wake(self.redis, sender_id, now)
        await self._record("subscribed", sender_id, programme, given_by)
        return result

    async def command(self, sender_id: str, text: str, intent: str = "") -> list[str]:
        """RAPPELS, STOP RAPPEL <n>, STOP RAPPELS, FAIT (``intent``: the dialogue's reading of a message in other
        words, e.g. "arrêtez tous les rappels": reminders_stop, reminders_done, reminders_list)."""
        by_intent: dict[str, CommandName] = {"reminders_stop": "stop_all", "reminders_done": "done"}
        command = parse_command(text) or Command(by_intent.get(intent, "list"))
        now = self.now()
        channel = channel_name(sender_id)
        if command.name == "list":
            active = await self.store.active(sender_id, self._today())
            return await self._list(sender_id, active)
        if command.name == "stop_one":
            stopped = await self.store.stop(sender_id, command.number, now, channel)
            if stopped is None:
                active = await self.store.active(sender_id, self._today())
                return await self._list(sender_id, active)
            await self._record("stopped", sender_id, stopped.programme)
            return [texts.render(texts.STOPPED_ONE, language=await self._language(sender_id))]
        if command.name == "stop_all":
            subs = await self.store.subscriptions(sender_id)
            await self.store.stop_all(sender_id, now, channel)
            await self.redis.delete(offer_key(sender_id))
            for sub in subs:
                await self._record("stopped", sender_id, sub.programme)
            return [
                texts.render(texts.STOPPED_ALL if subs else texts.NONE_ACTIVE, language=await self._language(sender_id))
            ]
        marked = await self.store.mark_last_done(sender_id)
        if marked is None:
            return [texts.render(texts.DONE_NOTHING, language=await self._language(sender_id))]
        await self._record("done", sender_id, marked)
        return [texts.render(texts.DONE_ACK, language=await self._language(sender_id))]

    async def _list(self, sender_id: str, active: list[Subscription]) -> list[str]:
        """RAPPELS in the resident's language."""
        language = await self._language(sender_id)
        return [texts.list_text([label(s, self.rules, language) for s in active], language)]

    async def _record(self, action: str, sender_id: str, programme: Programme, given_by: GivenBy = "resident") -> None:
        if self.activity is not None:
            by = "mediator" if given_by == "mediator" else ""
            await self.activity.record(
                REMINDER_EVENT, sender_id, at=self.now().timestamp(), action=action, topic=programme.value, by=by
            )
