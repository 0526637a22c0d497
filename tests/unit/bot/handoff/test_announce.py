"""A danger message while paused raises the hand-off to urgent: the mediators' group hears it again, marked
urgent with the wait so far, and the danger is counted (fake Telegram for both the resident and the group)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import redis.asyncio as aioredis

from bot.activity.log import ActivityLog
from bot.handoff.alerts import MediatorAlerts
from bot.handoff.announce import Announcer
from bot.handoff.models import Reason
from bot.handoff.store import HandoffStore
from bot.handoff.triage import Triage, load_triage, save_triage
from bot.handoff.waiting import Outcome, WaitingGate
from bot.outbound import build_outbound
from bot.outbound.telegram_sender import TelegramBotSender
from bot.sites import load_sites
from tests.sites import SITES_FILE
from tests.unit.bot.test_outbound import make_settings

PARIS = ZoneInfo("Europe/Paris")
ASKED = datetime(2026, 12, 1, 10, 0, tzinfo=PARIS).timestamp()
NOW = ASKED + 25 * 60
GROUP = "-100555"
TG = "tg-4243"


async def test_danger_while_waiting_alerts_the_group_as_urgent(redis_url: str, fake_twilio, fake_telegram) -> None:
    client = aioredis.Redis.from_url(redis_url)
    await HandoffStore(client, clock=lambda: ASKED).request(TG, reason=Reason.REQUEST)
    await save_triage(client, TG, Triage("", ["France Travail"], "ma radiation", "lyon8"))
    router = build_outbound(make_settings(fake_twilio.base_url, fake_telegram.base_url), client)
    alerts = MediatorAlerts(
        TelegramBotSender(fake_telegram.token, fake_telegram.base_url), GROUP, "https://console.example"
    )
    activity = ActivityLog(client, clock=lambda: NOW)
    sites = load_sites(SITES_FILE)
    gate = WaitingGate(
        client, router, sites.default, PARIS, clock=lambda: NOW, announcer=Announcer(client, activity, alerts)
    )
    result = await gate.before_turn(TG, "mon mari me frappe")
    assert result.outcome == Outcome.DANGER
    group = [m["text"] for m in fake_telegram.messages if m["chat_id"] == int(GROUP)]
    assert len(group) == 1
    # Issue 22, M8: the group learns that someone waits, urgently, and where to look; nothing else.
    assert group[0].startswith("Nouvelle demande (urgente) : https://console.example/o/")
    assert len(group[0].splitlines()) == 1
    for private in ("violence", "France Travail", "Telegram", "25 min", "4243", "frappe"):
        assert private not in group[0]
    triage = await load_triage(client, TG)
    assert (triage.danger, triage.preview, triage.themes) == ("violence", "mon mari me frappe", ["France Travail"])
    events = await activity.events(0, 4e9)
    assert [(e["kind"], e["danger"]) for e in events] == [("danger", "violence")]
    await gate.before_turn(TG, "il me frappe encore")  # already urgent: counted, no second alert
    assert len([m for m in fake_telegram.messages if m["chat_id"] == int(GROUP)]) == 1
    assert len(await activity.events(0, 4e9)) == 2
    assert (await load_triage(client, TG)).preview == "il me frappe encore"  # the latest danger message
    await client.close()
