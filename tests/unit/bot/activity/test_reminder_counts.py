"""The activity report counts deadline-reminder subscriptions (at the counter too), reminders sent, FAIT and stops,
from the events the reminders' own code records (real Redis, injected clocks)."""

from __future__ import annotations

from datetime import date, datetime

import redis.asyncio as aioredis

from bot.activity.log import ActivityLog
from bot.clock import PARIS
from bot.reminders.conversation import ReminderConversation
from bot.reminders.delivery import ReminderDelivery
from bot.reminders.programmes import Programme, load_programmes
from bot.reports.report import build_report
from bot.reports.tables import report_rows

SUBSCRIBED = datetime(2026, 12, 9, 10, tzinfo=PARIS)
SENT = datetime(2026, 12, 12, 9, tzinfo=PARIS)


class Recorder:
    async def send(self, sender_id: str, text: str, buttons: object = None) -> bool:
        return True


async def test_reminder_figures_in_the_report(client: aioredis.Redis) -> None:
    rules = load_programmes()
    moment = [SUBSCRIBED]
    log = ActivityLog(client, clock=lambda: moment[0].timestamp())
    talk = ReminderConversation(client, rules, lambda: moment[0], log)
    await talk.set_up("sms-33600000024", Programme.ACTUALISATION, "sms")
    await talk.set_up("tg-24", Programme.ACTUALISATION, "telegram", given_by="mediator")
    moment[0] = SENT
    assert len((await ReminderDelivery(client, rules, Recorder(), lambda: SENT, log).run()).sent) == 2
    await talk.command("sms-33600000024", "FAIT")
    await talk.command("tg-24", "STOP RAPPELS")
    events = await log.events(SUBSCRIBED.timestamp() - 3600, SENT.timestamp() + 3600)
    report = build_report(events, date(2026, 12, 7), date(2026, 12, 13), "week", PARIS)
    rows = {row.item: row.values[-1] for row in report_rows(report) if row.section == "Rappels d'échéances"}
    assert rows == {"abonnements": 2, "dont au guichet": 1, "rappels envoyés": 2, "réponses FAIT": 1, "arrêts": 1}
