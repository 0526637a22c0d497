"""The worker's pass on real Redis: sent at the right moment, once, never at night, FAIT and STOP honoured."""

from __future__ import annotations

import asyncio
from datetime import date, datetime
from typing import Any

import redis.asyncio as aioredis

from bot.booking.store import BookingStore
from bot.optout import OptOutStore
from bot.privacy.erase import Eraser
from bot.reminders.conversation import ReminderConversation
from bot.reminders.delivery import DUE_KEY, ReminderDelivery
from bot.reminders.programmes import Programme, Programmes
from bot.reminders.texts import reminder_text
from bot.sms.gsm import segment_count

from .conftest import SMS_USER, TG_USER, paris

SUBSCRIBED_AT = paris(2026, 12, 9, 10)  # Wednesday 9 December 2026
OPENS = paris(2026, 12, 28, 9)  # the December window opens Monday 28 December; reminders from 9:00


class Recorder:
    """Records what the outbound router would deliver."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    async def send(self, sender_id: str, text: str, buttons: list[dict[str, Any]] | None = None) -> bool:
        self.sent.append((sender_id, text))
        return True


def delivery(client: aioredis.Redis, rules: Programmes, sender: Recorder, moment: datetime) -> ReminderDelivery:
    return ReminderDelivery(client, rules, sender, lambda: moment)


async def subscribe(client: aioredis.Redis, rules: Programmes, sender_id: str, programme: Programme, **kw: Any) -> None:
    talk = ReminderConversation(client, rules, lambda: SUBSCRIBED_AT)
    await talk.set_up(sender_id, programme, "sms", **kw)


async def test_the_opening_reminder_goes_at_9_on_the_28th_once(client: aioredis.Redis, rules: Programmes) -> None:
    await subscribe(client, rules, SMS_USER, Programme.ACTUALISATION)
    out = Recorder()
    await delivery(client, rules, out, SUBSCRIBED_AT).run()
    assert out.sent == []
    # subscribed on the 9th: the November window's last call (it closes on 15 December) is due Saturday the 12th
    november = paris(2026, 12, 12, 9)
    assert await client.zscore(DUE_KEY, SMS_USER) == november.timestamp()  # the next moment to look at them
    await delivery(client, rules, out, november).run()
    assert out.sent == [(SMS_USER, reminder_text("actualisation_last_call", date(2026, 12, 15)))]
    out.sent.clear()
    assert await client.zscore(DUE_KEY, SMS_USER) == OPENS.timestamp()
    await delivery(client, rules, out, paris(2026, 12, 28, 3)).run()  # a worker running at night: nothing
    assert out.sent == []
    await asyncio.gather(*(delivery(client, rules, out, OPENS).run() for _ in range(2)))  # two workers
    assert out.sent == [(SMS_USER, reminder_text("actualisation_open", date(2027, 1, 15)))]
    assert "15 janvier" in out.sent[0][1] and segment_count(out.sent[0][1]) == 1
    await delivery(client, rules, out, paris(2026, 12, 28, 9, 1)).run()  # a restarted worker
    assert len(out.sent) == 1
    last_call = paris(2027, 1, 12, 9)
    assert await client.zscore(DUE_KEY, SMS_USER) == last_call.timestamp()
    await delivery(client, rules, out, last_call).run()
    assert out.sent[-1][1] == reminder_text("actualisation_last_call", date(2027, 1, 15))


async def test_fait_silences_the_last_call(client: aioredis.Redis, rules: Programmes) -> None:
    await subscribe(client, rules, SMS_USER, Programme.ACTUALISATION)
    out = Recorder()
    await delivery(client, rules, out, paris(2026, 12, 12, 9)).run()
    out.sent.clear()
    await delivery(client, rules, out, OPENS).run()
    talk = ReminderConversation(client, rules, lambda: paris(2026, 12, 28, 11))
    assert "c'est noté" in (await talk.command(SMS_USER, "FAIT"))[0]
    await delivery(client, rules, out, paris(2027, 1, 12, 9)).run()
    assert len(out.sent) == 1
    # the next month's opening reminder still goes
    await delivery(client, rules, out, paris(2027, 1, 28, 9)).run()
    assert out.sent[-1][1] == reminder_text("actualisation_open", date(2027, 2, 15))


async def test_nothing_after_stop_rappels_stop_or_erasure(client: aioredis.Redis, rules: Programmes) -> None:
    third = "sms-33600000003"
    for sender_id in (SMS_USER, TG_USER, third):
        await subscribe(client, rules, sender_id, Programme.ACTUALISATION)
    talk = ReminderConversation(client, rules, lambda: paris(2026, 12, 20, 10))
    await talk.command(SMS_USER, "STOP RAPPELS")
    await OptOutStore(client).opt_out(TG_USER)
    await Eraser(client, BookingStore(client), None, lambda: paris(2026, 12, 20, 10)).erase(third)  # type: ignore[arg-type]
    assert await client.zscore(DUE_KEY, third) is None
    out = Recorder()
    await delivery(client, rules, out, OPENS).run()
    assert out.sent == []
    assert await client.zscore(DUE_KEY, SMS_USER) is None  # no running reminder: left the index


async def test_a_one_off_date_on_a_sunday_goes_the_saturday_before(client: aioredis.Redis, rules: Programmes) -> None:
    await subscribe(client, rules, SMS_USER, Programme.ONE_OFF, day=date(2027, 1, 17))  # a Sunday
    out = Recorder()
    await delivery(client, rules, out, SUBSCRIBED_AT).run()
    assert await client.zscore(DUE_KEY, SMS_USER) == paris(2027, 1, 16, 9).timestamp()
    await delivery(client, rules, out, paris(2027, 1, 16, 18, 59)).run()
    assert out.sent == [(SMS_USER, reminder_text("one_off", date(2027, 1, 17)))]
    assert await client.zscore(DUE_KEY, SMS_USER) is None


async def test_a_pass_after_the_deadline_sends_nothing(client: aioredis.Redis, rules: Programmes) -> None:
    await subscribe(client, rules, SMS_USER, Programme.ONE_OFF, day=date(2027, 1, 15))
    out = Recorder()
    await delivery(client, rules, out, paris(2027, 1, 16, 10)).run()  # the worker was down on the 15th
    assert out.sent == []
