"""A simulated year of deadline reminders (issue 24): 200 residents, injected clock, real Redis, real store.

Residents subscribe (mixed programmes, some at the counter), answer FAIT, stop one reminder, stop all, or ask
for erasure at random moments of 2027 (seeded). Two workers claim the same reminders, and a restarted worker
re-processes some: the store's atomic claim must keep each reminder sent at most once. The year crosses both
DST changes and every public holiday. The figures go to docs/reminders.md (between the bench markers).

    make reminders-report        # or: .venv/bin/python bench/reminders_year.py [--residents 200] [--seed 24]
"""

from __future__ import annotations

import argparse
import asyncio
import heapq
import itertools
import random
import re
import sys
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import redis.asyncio as aioredis

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.booking.store import BookingStore  # noqa: E402
from bot.clock import PARIS  # noqa: E402
from bot.ops.redis_server import EmbeddedRedis  # noqa: E402
from bot.privacy.erase import Eraser  # noqa: E402
from bot.reminders.consent import Refusal, subscribe  # noqa: E402
from bot.reminders.models import GivenBy, Occurrence, Subscription  # noqa: E402
from bot.reminders.policy import PER_DAY, PER_WEEK, WEEK, decide, is_allowed  # noqa: E402
from bot.reminders.programmes import Programme, Programmes, load_programmes  # noqa: E402
from bot.reminders.schedule import occurrences  # noqa: E402
from bot.reminders.store import ClaimResult, ReminderStore  # noqa: E402
from bot.reminders.texts import reminder_text  # noqa: E402
from bot.sms.gsm import is_gsm7, segment_count  # noqa: E402

START = datetime(2027, 1, 1, tzinfo=PARIS)
END = datetime(2028, 1, 1, tzinfo=PARIS)
DOC = ROOT / "docs" / "reminders.md"
BEGIN, FINISH = "<!-- reminders-year:start -->", "<!-- reminders-year:end -->"


class NoBookings:
    """The simulated residents have no bookings: erasure never cancels one."""

    async def cancel(self, user: str, ref: str) -> Any:
        raise AssertionError("no booking in this simulation")


@dataclass
class Stats:
    due: int = 0
    sent: int = 0
    results: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    waits: Counter[str] = field(default_factory=Counter)
    outcome: dict[str, str] = field(default_factory=dict)  # occurrence key -> sent, stopped, done, deadline...
    sent_log: list[tuple[str, str, datetime, Occurrence]] = field(default_factory=list)  # sender, key, at, occ
    ended: dict[str, datetime] = field(default_factory=dict)  # subscription id -> stop or erasure time
    programmes: Counter[str] = field(default_factory=Counter)
    refusals: int = 0
    mediator_consents: int = 0


def _random_moment(rng: random.Random, start: datetime, end: datetime) -> datetime:
    seconds = rng.uniform(0, (end - start).total_seconds())
    return (start + timedelta(seconds=seconds)).astimezone(PARIS).replace(microsecond=0)


def _plan(rng: random.Random, residents: int, rules: Programmes) -> list[tuple[datetime, int, str, Any]]:
    """The residents' actions over the year: (when, order, kind, payload)."""
    events: list[tuple[datetime, int, str, Any]] = []
    order = itertools.count()
    for i in range(residents):
        sender = f"sim-{i:03d}"
        for _ in range(rng.choice((1, 1, 2, 2, 3))):
            at = _random_moment(rng, START, START + timedelta(days=200))
            if rng.random() < 0.4:  # a counter visit: often in opening hours, at the mediator's desk
                at = at.replace(hour=rng.randint(9, 17))
            programme = rng.choice(list(Programme))
            events.append((at, next(order), "subscribe", (sender, programme, rng.random())))
        if rng.random() < 0.1:  # a busy resident: five dates within two weeks (the caps must hold)
            at = _random_moment(rng, START, START + timedelta(days=150))
            first = at.date() + timedelta(days=rng.randint(5, 60))
            for n in range(5):
                day = first + timedelta(days=rng.randint(0, 13))
                events.append((at + timedelta(minutes=n), next(order), "subscribe_day", (sender, day)))
        roll = rng.random()
        if roll < 0.15:
            events.append((_random_moment(rng, START + timedelta(days=60), END), next(order), "stop_one", sender))
        elif roll < 0.25:
            events.append((_random_moment(rng, START + timedelta(days=60), END), next(order), "stop_all", sender))
        elif roll < 0.30:
            events.append((_random_moment(rng, START + timedelta(days=60), END), next(order), "erase", sender))
    return events


def _subscription(
    rng: random.Random, sender: str, programme: Programme, at: datetime, rules: Programmes, by_mediator: bool
) -> Subscription | Refusal:
    today = at.date()
    given_by: GivenBy = "mediator" if by_mediator else "resident"
    channel = "sms" if rng.random() < 0.7 else "telegram"
    if programme == Programme.QUARTERLY:
        last = today - timedelta(days=rng.randint(1, 90))
        return subscribe(sender, programme, channel, at, rules, given_by=given_by, last_declaration=last)
    if programme == Programme.RESIDENCE_PERMIT:
        expiry = today + timedelta(days=rng.randint(-20, 420))  # some already expired or past their window
        return subscribe(sender, programme, channel, at, rules, given_by=given_by, day=expiry)
    if programme == Programme.ONE_OFF:
        return subscribe(
            sender, programme, channel, at, rules, given_by=given_by, day=today + timedelta(days=rng.randint(1, 150))
        )
    return subscribe(sender, programme, channel, at, rules, given_by=given_by)


async def simulate(residents: int, seed: int) -> tuple[Stats, dict[str, Any]]:
    rng = random.Random(seed)
    rules = load_programmes()
    stats = Stats()
    with tempfile.TemporaryDirectory() as tmp:
        server = EmbeddedRedis(Path(tmp), persist=False)
        url = server.start()
        redis = aioredis.Redis.from_url(url)
        try:
            store = ReminderStore(redis)
            other_worker = ReminderStore(aioredis.Redis.from_url(url))
            eraser = Eraser(redis, BookingStore(redis), NoBookings(), lambda: START)
            queue: list[tuple[datetime, int, str, Any]] = _plan(rng, residents, rules)
            heapq.heapify(queue)
            order = itertools.count(len(queue))
            subs_of: dict[str, list[Subscription]] = defaultdict(list)
            while queue:
                now, _, kind, payload = heapq.heappop(queue)
                if now >= END:
                    continue
                if kind in ("subscribe", "subscribe_day"):
                    if kind == "subscribe":
                        sender, programme, roll = payload
                        sub = _subscription(rng, sender, programme, now, rules, roll < 0.3)
                    else:
                        sender, day = payload
                        sub = subscribe(sender, Programme.ONE_OFF, "sms", now, rules, day=day)
                    if isinstance(sub, Refusal):
                        stats.refusals += 1
                        continue
                    await store.subscribe(sub)
                    stats.programmes[sub.programme.value] += 1
                    stats.mediator_consents += sub.consent.given_by == "mediator"
                    subs_of[sender].append(sub)
                    for occ in occurrences(sub, rules, now, END):
                        stats.due += 1
                        heapq.heappush(queue, (occ.due, next(order), "check", (sender, occ)))
                elif kind in ("stop_one", "stop_all", "erase"):
                    sender = payload
                    if kind == "stop_one":
                        active = await store.active(sender, now.date())
                        stopped = await store.stop(sender, rng.randint(1, max(1, len(active))), now, "sms")
                        ended = [stopped] if stopped else []
                    else:
                        ended = list(subs_of[sender])
                        if kind == "stop_all":
                            await store.stop_all(sender, now, "sms")
                        else:
                            await eraser.erase(sender)
                    for sub in ended:
                        stats.ended.setdefault(sub.id, now)
                elif kind == "done":
                    sender, occ = payload
                    await store.mark_done(sender, occ.subscription_id, occ.period)
                else:  # check: the worker looks at a reminder
                    sender, occ = payload
                    history = [s.at for s in await store.sent(sender)]
                    decision = decide(now, occ.due, occ.deadline, history)
                    if decision.action == "skip":
                        stats.skipped[decision.reason] += 1
                        stats.outcome.setdefault(occ.key, decision.reason)
                        continue
                    if decision.action == "wait":
                        assert decision.at is not None
                        stats.waits[decision.reason] += 1
                        heapq.heappush(queue, (decision.at, next(order), "check", (sender, occ)))
                        continue
                    results: list[ClaimResult]
                    if rng.random() < 0.1:  # both workers pick it up at once
                        results = list(
                            await asyncio.gather(store.claim(sender, occ, now), other_worker.claim(sender, occ, now))
                        )
                    else:
                        results = [await store.claim(sender, occ, now)]
                    for result in results:
                        stats.results[result] += 1
                        if result in ("stopped", "done"):
                            stats.outcome.setdefault(occ.key, result)
                        if result == "sent":
                            stats.outcome[occ.key] = "sent"
                            stats.sent += 1
                            stats.sent_log.append((sender, occ.key, now, occ))
                            if occ.kind in ("actualisation_open", "permit_open") and rng.random() < 0.5:
                                answer = now + timedelta(hours=rng.randint(1, 72))
                                heapq.heappush(queue, (answer, next(order), "done", (sender, occ)))
                    if rng.random() < 0.05:  # a restarted worker processes it again later
                        heapq.heappush(queue, (now + timedelta(minutes=30), next(order), "check", (sender, occ)))
                    if results and all(r in ("cap_day", "cap_week") for r in results):
                        heapq.heappush(queue, (now + timedelta(days=1), next(order), "check", (sender, occ)))
            leftover = 0
            async for key in redis.scan_iter(match="pimms:reminders:*"):
                leftover += int(await redis.ttl(key)) == -1
        finally:
            await redis.close()
            await other_worker.redis.close()
            server.stop()
    return stats, {"keys_left": leftover}


def _audit(stats: Stats) -> dict[str, int]:
    keys = Counter(key for _, key, _, _ in stats.sent_log)
    by_sender: dict[str, list[datetime]] = defaultdict(list)
    for sender, _, at, _ in stats.sent_log:
        by_sender[sender].append(at)
    day_over = week_over = 0
    for times in by_sender.values():
        times.sort()
        per_day = Counter(t.date() for t in times)
        day_over += sum(1 for n in per_day.values() if n > PER_DAY)
        week_over += sum(1 for t in times if sum(1 for s in times if t - WEEK < s <= t) > PER_WEEK)
    texts = {reminder_text(o.kind, o.ends) for _, _, _, o in stats.sent_log}
    return {
        "duplicates": sum(n - 1 for n in keys.values() if n > 1),
        "after_stop_or_erasure": sum(
            1
            for _, _, at, o in stats.sent_log
            if o.subscription_id in stats.ended and at >= stats.ended[o.subscription_id]
        ),
        "outside_hours": sum(1 for _, _, at, _ in stats.sent_log if not is_allowed(at)),
        "after_deadline": sum(1 for _, _, at, o in stats.sent_log if at >= o.deadline),
        "day_cap_exceeded": day_over,
        "week_cap_exceeded": week_over,
        "texts": len(texts),
        "texts_not_one_gsm7_segment": sum(1 for t in texts if not is_gsm7(t) or segment_count(t) != 1),
        "texts_with_link": sum(1 for t in texts if re.search(r"https?:|www\.", t)),
    }


def report(stats: Stats, extra: dict[str, Any], residents: int, seed: int) -> str:
    audit = _audit(stats)
    outcomes = Counter(stats.outcome.values())
    stopped, silenced = outcomes["stopped"], outcomes["done"]
    capped = outcomes["cap_day"] + outcomes["cap_week"]
    consented = stats.due - stopped - silenced
    rate = 100.0 * stats.sent / consented if consented else 100.0
    lines = [
        BEGIN,
        f"Simulated year 2027 (seed {seed}, {residents} residents; `make reminders-report`):",
        "",
        "| figure | value |",
        "|---|---|",
        f"| subscriptions (actualisation / quarterly / permit / one-off) | "
        f"{stats.programmes['actualisation']} / {stats.programmes['quarterly']} / "
        f"{stats.programmes['residence_permit']} / {stats.programmes['one_off']} |",
        f"| consents recorded at the counter by a mediator | {stats.mediator_consents} |",
        f"| permit dates refused (expired, late or too far: guidance text instead) | {stats.refusals} |",
        f"| reminders due | {stats.due} |",
        f"| not sent: stopped or erased before their moment | {stopped} |",
        f"| not sent: silenced by FAIT | {silenced} |",
        f"| not sent: deadline passed before an allowed moment / over the caps | {outcomes['deadline']} / {capped} |",
        f"| postponed to an allowed moment (hours, days off) / by the daily cap / by the weekly cap | "
        f"{stats.waits['hours']} / {stats.waits['cap_day']} / {stats.waits['cap_week']} |",
        f"| sent / due and still consented | {stats.sent} / {consented} ({rate:.1f} %) |",
        f"| never decided (bug check: must be 0) | {stats.due - len(stats.outcome)} |",
        f"| second claims refused (two workers, restarts) | {stats.results['duplicate']} |",
        f"| duplicates sent | {audit['duplicates']} |",
        f"| sent after a stop or an erasure | {audit['after_stop_or_erasure']} |",
        f"| sent outside opening days 9:00-19:00 Paris | {audit['outside_hours']} |",
        f"| sent at or after their deadline | {audit['after_deadline']} |",
        f"| residents' days over 1 reminder / sends over 3 in 7 days | "
        f"{audit['day_cap_exceeded']} / {audit['week_cap_exceeded']} |",
        f"| distinct texts sent / not one GSM-7 segment / with a link | "
        f"{audit['texts']} / {audit['texts_not_one_gsm7_segment']} / {audit['texts_with_link']} |",
        f"| reminder keys without expiry at the year's end | {extra['keys_left']} |",
        FINISH,
    ]
    return "\n".join(lines)


def write(block: str) -> None:
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else f"# Deadline reminders\n\n{BEGIN}\n{FINISH}\n"
    start, end = text.index(BEGIN), text.index(FINISH) + len(FINISH)
    DOC.write_text(text[:start] + block + text[end:], encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=200)
    parser.add_argument("--seed", type=int, default=24)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    stats, extra = asyncio.run(simulate(args.residents, args.seed))
    block = report(stats, extra, args.residents, args.seed)
    print(block)
    if not args.no_write:
        write(block)


if __name__ == "__main__":
    main()
