"""A simulated year of deadline reminders (issue 24): 200 residents, two real arq workers, real Redis, one
injected clock.

Residents subscribe through the conversation's code (mixed programmes, some at the counter by a mediator), answer
FAIT, stop one reminder, stop all, or ask for erasure at random moments of 2027 (seeded). Two arq workers run the
worker's own job (``bot.ops.worker.send_deadline_reminders``) on an embedded Redis whenever a resident is due
(what the every-minute cron finds), sometimes both at once, and are restarted about twice a month. The clock is
the simulated one everywhere, so the year crosses both DST changes and every public holiday. The audit recomputes
every rule from what the workers handed to the outbound router. The figures go to docs/reminders.md (between the
bench markers).

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
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import redis.asyncio as aioredis

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from arq.connections import RedisSettings, create_pool  # noqa: E402
from arq.worker import Worker  # noqa: E402

from bot.booking.jobs import SERIALIZERS  # noqa: E402
from bot.booking.store import BookingStore  # noqa: E402
from bot.clock import PARIS  # noqa: E402
from bot.ops.redis_server import EmbeddedRedis  # noqa: E402
from bot.ops.worker import DEADLINE_FUNCTION, worker_functions  # noqa: E402
from bot.privacy.erase import Eraser  # noqa: E402
from bot.public_holidays import is_public_holiday  # noqa: E402
from bot.reminders.consent import Refusal  # noqa: E402
from bot.reminders.conversation import ReminderConversation, channel_name  # noqa: E402
from bot.reminders.delivery import DUE_KEY, PassReport, ReminderDelivery  # noqa: E402
from bot.reminders.models import GivenBy, Occurrence, Subscription  # noqa: E402
from bot.reminders.policy import PER_DAY, PER_WEEK, WEEK, is_allowed  # noqa: E402
from bot.reminders.programmes import Programme, Programmes, load_programmes  # noqa: E402
from bot.reminders.schedule import occurrences  # noqa: E402
from bot.reminders.store import ReminderStore  # noqa: E402
from bot.sms.gsm import is_gsm7, segment_count  # noqa: E402

START = datetime(2027, 1, 1, tzinfo=PARIS)
END = datetime(2028, 1, 1, tzinfo=PARIS)
DOC = ROOT / "docs" / "reminders.md"
BEGIN, FINISH = "<!-- reminders-year:start -->", "<!-- reminders-year:end -->"


class NoBookings:
    """The simulated residents have no bookings: erasure never cancels one."""

    async def cancel(self, user: str, ref: str) -> Any:
        raise AssertionError("no booking in this simulation")


class SimClock:
    """The injected clock every part reads (the workers, the conversation, the eraser)."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


class Outbox:
    """Stands for the outbound router: records what each worker hands over for delivery, at the simulated time."""

    def __init__(self, clock: SimClock) -> None:
        self.clock = clock
        self.messages: list[tuple[str, str, datetime]] = []

    async def send(self, sender_id: str, text: str, buttons: list[dict[str, Any]] | None = None) -> bool:
        self.messages.append((sender_id, text, self.clock()))
        return True


class RecordingDelivery(ReminderDelivery):
    """The worker's real pass, keeping each pass's report for the audit."""

    reports: list[PassReport]

    async def run(self) -> PassReport:
        report = await super().run()
        self.reports.append(report)
        return report


@dataclass
class Stats:
    due: list[tuple[str, Occurrence]] = field(default_factory=list)  # every reminder of every subscription
    subs: dict[str, Subscription] = field(default_factory=dict)
    ended: dict[str, datetime] = field(default_factory=dict)  # subscription id -> stop or erasure time
    done: dict[str, datetime] = field(default_factory=dict)  # "subscription:period" -> FAIT time
    programmes: Counter[str] = field(default_factory=Counter)
    refusals: int = 0
    mediator_consents: int = 0
    passes: int = 0
    double_passes: int = 0
    restarts: int = 0
    down_until: datetime = START  # no pass runs before (the workers are down)
    downtime: timedelta = timedelta(0)
    outages: list[tuple[datetime, datetime]] = field(default_factory=list)  # (from, to): no pass runs
    reports: list[PassReport] = field(default_factory=list)
    messages: list[tuple[str, str, datetime]] = field(default_factory=list)


def _random_moment(rng: random.Random, start: datetime, end: datetime) -> datetime:
    seconds = rng.uniform(0, (end - start).total_seconds())
    return (start + timedelta(seconds=seconds)).astimezone(PARIS).replace(microsecond=0)


def _plan(rng: random.Random, residents: int) -> list[tuple[datetime, int, str, Any]]:
    """The residents' actions over the year and the workers' restarts: (when, order, kind, payload)."""
    events: list[tuple[datetime, int, str, Any]] = []
    order = itertools.count()
    for i in range(residents):
        sender = f"sms-336000{i:05d}" if i % 3 else f"tg-9{i:05d}"
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
    for _ in range(24):  # the workers stop about twice a month (deploys, crashes), for up to a day and a half
        outage = timedelta(minutes=rng.randint(1, 36 * 60))
        events.append((_random_moment(rng, START, END), next(order), "restart", (rng.randint(0, 1), outage)))
    # the cron runs every minute, at any hour: extra passes at random moments, and on public holidays and the two
    # DST days at night, at noon and in the evening (nothing may go out then, except on Saturdays' opening hours)
    for _ in range(1500):
        events.append((_random_moment(rng, START, END), next(order), "tick", None))
    special = [d for d in _days(START.date(), END.date()) if is_public_holiday(d)] + [
        date(2027, 3, 28),
        date(2027, 10, 31),
    ]
    for day in special:
        for hour in (2, 3, 9, 12, 18, 23):
            events.append((datetime.combine(day, time(hour, 30), tzinfo=PARIS), next(order), "tick", None))
    return events


def _days(first: date, last: date) -> Iterator[date]:
    while first < last:
        yield first
        first += timedelta(days=1)


async def _subscribe(
    rng: random.Random, talk: ReminderConversation, sender: str, programme: Programme, at: datetime, counter: bool
) -> Subscription | Refusal:
    today = at.date()
    given_by: GivenBy = "mediator" if counter else "resident"
    channel = channel_name(sender)
    if programme == Programme.QUARTERLY:
        last = today - timedelta(days=rng.randint(1, 90))
        return await talk.set_up(sender, programme, channel, given_by=given_by, last_declaration=last)
    if programme == Programme.RESIDENCE_PERMIT:
        expiry = today + timedelta(days=rng.randint(-20, 420))  # some already expired or past their window
        return await talk.set_up(sender, programme, channel, given_by=given_by, day=expiry)
    if programme == Programme.ONE_OFF:
        day = today + timedelta(days=rng.randint(1, 150))
        return await talk.set_up(sender, programme, channel, given_by=given_by, day=day)
    return await talk.set_up(sender, programme, channel, given_by=given_by)


class Workers:
    """Two real arq workers on one queue of the embedded Redis, sharing the simulated clock; restartable."""

    QUEUE = "pimms:sim:reminders"

    def __init__(self, url: str, clock: SimClock, rules: Programmes, outbox: Outbox, reports: list[PassReport]) -> None:
        self.url, self.clock, self.rules, self.outbox, self.reports = url, clock, rules, outbox, reports
        self.running: list[tuple[Worker, asyncio.Task[None], aioredis.Redis]] = []

    async def _start(self) -> tuple[Worker, asyncio.Task[None], aioredis.Redis]:
        pool = await create_pool(RedisSettings.from_dsn(self.url), **SERIALIZERS)
        client = aioredis.Redis.from_url(self.url)
        delivery = RecordingDelivery(client, self.rules, self.outbox, self.clock)
        delivery.reports = self.reports
        worker = Worker(
            functions=worker_functions(),
            queue_name=self.QUEUE,
            redis_pool=pool,
            poll_delay=0.02,
            handle_signals=False,
            ctx={"deadlines": delivery},
            keep_result=5,
            health_check_interval=3600,
            **SERIALIZERS,
        )
        return worker, asyncio.create_task(worker.main()), client

    async def start(self) -> None:
        self.pool = await create_pool(RedisSettings.from_dsn(self.url), **SERIALIZERS)
        self.running = [await self._start(), await self._start()]

    async def restart(self, index: int) -> None:
        """Stop one worker (its process dies) and start a fresh one."""
        worker, task, client = self.running[index]
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await worker.close()
        await client.close()
        self.running[index] = await self._start()

    async def run_pass(self, jobs: int) -> None:
        """Enqueue the worker's job ``jobs`` times at the current simulated moment; wait until all ran."""
        enqueued = [await self.pool.enqueue_job(DEADLINE_FUNCTION, _queue_name=self.QUEUE) for _ in range(jobs)]
        for job in enqueued:
            assert job is not None
            await job.result(timeout=60, poll_delay=0.01)

    async def stop(self) -> None:
        for worker, task, client in self.running:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
            await worker.close()
            await client.close()
        await self.pool.close(close_connection_pool=True)


async def simulate(residents: int, seed: int) -> tuple[Stats, dict[str, Any]]:
    rng = random.Random(seed)
    rules = load_programmes()
    stats = Stats()
    clock = SimClock(START)
    outbox = Outbox(clock)
    with tempfile.TemporaryDirectory() as tmp:
        server = EmbeddedRedis(Path(tmp), persist=False)
        url = server.start()
        redis = aioredis.Redis.from_url(url)
        workers = Workers(url, clock, rules, outbox, stats.reports)
        await workers.start()
        try:
            store = ReminderStore(redis)
            talk = ReminderConversation(redis, rules, clock)
            eraser = Eraser(redis, BookingStore(redis), NoBookings(), clock)
            queue = _plan(rng, residents)
            heapq.heapify(queue)
            order = itertools.count(len(queue))
            subs_of: dict[str, list[Subscription]] = defaultdict(list)
            while True:
                following = await redis.zrange(DUE_KEY, 0, 0, withscores=True)
                due_at = datetime.fromtimestamp(following[0][1], tz=PARIS) if following else END
                # the worker's cron finds someone due, once the workers run again after an outage
                due_at = max(due_at, stats.down_until) if following else END
                event_at = queue[0][0] if queue else END
                if min(due_at, event_at) >= END:
                    break
                if event_at <= due_at:
                    now, _, kind, payload = heapq.heappop(queue)
                    clock.moment = max(clock.moment, now)
                    await _event(rng, kind, payload, clock, stats, store, talk, eraser, workers, subs_of, queue, order)
                    continue
                clock.moment = max(clock.moment, due_at)
                double = rng.random() < 0.1  # both workers take a pass at the same moment
                sent_before = len(outbox.messages)
                await workers.run_pass(2 if double else 1)
                stats.passes += 1
                stats.double_passes += double
                for sender, _, at in outbox.messages[sent_before:]:
                    if rng.random() < 0.5:  # half of the residents answer FAIT within three days
                        answer = at + timedelta(hours=rng.randint(1, 72))
                        heapq.heappush(queue, (answer, next(order), "done", sender))
            stats.messages = list(outbox.messages)
            leftover = 0
            async for key in redis.scan_iter(match="pimms:reminders:*"):
                leftover += key != DUE_KEY.encode() and int(await redis.ttl(key)) == -1
        finally:
            await workers.stop()
            await redis.close()
            server.stop()
    return stats, {"keys_left": leftover}


async def _event(
    rng: random.Random,
    kind: str,
    payload: Any,
    clock: SimClock,
    stats: Stats,
    store: ReminderStore,
    talk: ReminderConversation,
    eraser: Eraser,
    workers: Workers,
    subs_of: dict[str, list[Subscription]],
    queue: list[tuple[datetime, int, str, Any]],
    order: Iterator[int],
) -> None:
    now = clock()
    if kind == "tick":
        if now >= stats.down_until:
            await workers.run_pass(1)
            stats.passes += 1
    elif kind == "restart":
        index, outage = payload
        await workers.restart(index)
        stats.restarts += 1
        stats.down_until = max(stats.down_until, now + outage)
        stats.downtime += outage
        stats.outages.append((now, now + outage))
    elif kind in ("subscribe", "subscribe_day"):
        if kind == "subscribe":
            sender, programme, roll = payload
            sub = await _subscribe(rng, talk, sender, programme, now, roll < 0.3)
        else:
            sender, day = payload
            sub = await talk.set_up(sender, Programme.ONE_OFF, channel_name(sender), day=day)
        if isinstance(sub, Refusal):
            stats.refusals += 1
            return
        stats.subs[sub.id] = sub
        stats.programmes[sub.programme.value] += 1
        stats.mediator_consents += sub.consent.given_by == "mediator"
        subs_of[sender].append(sub)
        stats.due += [(sender, o) for o in occurrences(sub, rules_of(talk), now, END + timedelta(days=400))]
    elif kind == "done":
        sender = payload
        sent = await store.sent(sender)
        answer = await talk.command(sender, "FAIT")
        if sent and "noté" in answer[0]:
            subscription_id, period, _ = sent[-1].key.split(":", 2)
            stats.done.setdefault(f"{subscription_id}:{period}", now)
    elif kind == "stop_one":
        active = await store.active(payload, now.date())
        before = {s.id for s in active}
        await talk.command(payload, f"STOP RAPPEL {rng.randint(1, max(1, len(active)))}")
        after = {s.id for s in await store.active(payload, now.date())}
        for sub_id in before - after:
            stats.ended.setdefault(sub_id, now)
    else:
        if kind == "stop_all":
            await talk.command(payload, "STOP RAPPELS")
        else:
            await eraser.erase(payload)
        for sub in subs_of[payload]:
            stats.ended.setdefault(sub.id, now)


def rules_of(talk: ReminderConversation) -> Programmes:
    return talk.rules


def _workers_down_throughout(outages: list[tuple[datetime, datetime]], due: datetime, deadline: datetime) -> bool:
    """Whether no worker ran at any allowed moment between ``due`` and ``deadline`` (checked every 5 minutes)."""
    moment = due
    while moment < deadline:
        if is_allowed(moment) and not any(start <= moment < end for start, end in outages):
            return False
        moment += timedelta(minutes=5)
    return True


def _audit(stats: Stats) -> dict[str, Any]:
    sent = [(s, o, at, text) for r in stats.reports for s, o, at, text in r.sent]
    keys = Counter(f"{s}|{o.key}" for s, o, _, _ in sent)
    skipped: dict[str, str] = {}
    for r in stats.reports:
        for key, reason in r.skipped_keys.items():
            skipped.setdefault(key, reason)
    by_sender: dict[str, list[datetime]] = defaultdict(list)
    for sender, _, at, _ in sent:
        by_sender[sender].append(at)
    day_over = week_over = 0
    for times in by_sender.values():
        times.sort()
        per_day = Counter(t.date() for t in times)
        day_over += sum(1 for n in per_day.values() if n > PER_DAY)
        week_over += sum(1 for t in times if sum(1 for s in times if t - WEEK < s <= t) > PER_WEEK)
    texts = {text for _, _, _, text in sent}
    outcome: Counter[str] = Counter()
    for sender, occ in stats.due:
        key = f"{sender}|{occ.key}"
        ended = stats.ended.get(occ.subscription_id)
        done = stats.done.get(f"{occ.subscription_id}:{occ.period}")
        if key in keys:
            outcome["sent"] += 1
        elif occ.deadline > END:
            outcome["pending"] += 1  # after the simulated year
        elif ended is not None and ended < occ.deadline:
            outcome["stopped"] += 1
        elif occ.skip_if_done and done is not None and done < occ.deadline:
            outcome["done"] += 1
        elif key in skipped:
            outcome[skipped[key]] += 1
        elif _workers_down_throughout(stats.outages, occ.due, occ.deadline):
            outcome["down"] += 1
        else:
            outcome["unexplained"] += 1
    return {
        "outcome": outcome,
        "sent": len(sent),
        "outbox": len(stats.messages),
        "duplicates": sum(n - 1 for n in keys.values() if n > 1),
        "after_stop_or_erasure": sum(
            1 for _, o, at, _ in sent if o.subscription_id in stats.ended and at >= stats.ended[o.subscription_id]
        ),
        "outside_hours": sum(1 for _, _, at, _ in sent if not is_allowed(at)),
        "after_deadline": sum(1 for _, o, at, _ in sent if at >= o.deadline),
        "day_cap_exceeded": day_over,
        "week_cap_exceeded": week_over,
        "texts": len(texts),
        "texts_not_one_gsm7_segment": sum(1 for t in texts if not is_gsm7(t) or segment_count(t) != 1),
        "texts_with_link": sum(1 for t in texts if re.search(r"https?:|www\.", t)),
        "claims": sum((r.claims for r in stats.reports), Counter()),
        "waits": sum((r.waits for r in stats.reports), Counter()),
        "failed": sum(r.failed for r in stats.reports),
    }


def report(stats: Stats, extra: dict[str, Any], residents: int, seed: int) -> str:
    audit = _audit(stats)
    out = audit["outcome"]
    considered = len(stats.due) - out["pending"]
    consented = considered - out["stopped"] - out["done"]
    allowed = consented - out["cap_day"] - out["cap_week"] - out["down"]
    rate = 100.0 * out["sent"] / consented if consented else 100.0
    rate_allowed = 100.0 * out["sent"] / allowed if allowed else 100.0
    lines = [
        BEGIN,
        f"Simulated year 2027 (seed {seed}, {residents} residents, two arq workers; `make reminders-report`):",
        "",
        "| figure | value |",
        "|---|---|",
        f"| subscriptions (actualisation / quarterly / permit / one-off) | "
        f"{stats.programmes['actualisation']} / {stats.programmes['quarterly']} / "
        f"{stats.programmes['residence_permit']} / {stats.programmes['one_off']} |",
        f"| consents recorded at the counter by a mediator | {stats.mediator_consents} |",
        f"| permit dates refused (expired, late or too far: guidance text instead) | {stats.refusals} |",
        f"| worker passes (arq jobs) / of which both workers at once / worker restarts | "
        f"{stats.passes} / {stats.double_passes} / {stats.restarts} |",
        f"| time the workers were down (restarts, outages) | {stats.downtime.total_seconds() / 3600:.0f} hours |",
        f"| reminders due in 2027 (deadline in the year) | {considered} |",
        f"| not sent: stopped or erased before their deadline | {out['stopped']} |",
        f"| not sent: silenced by FAIT | {out['done']} |",
        f"| not sent: over the caps before the deadline (day / week) / deadline passed | "
        f"{out['cap_day']} / {out['cap_week']} / {out['deadline']} |",
        f"| postponed by a pass (hours, days off / daily cap / weekly cap) | "
        f"{audit['waits']['hours']} / {audit['waits']['cap_day']} / {audit['waits']['cap_week']} |",
        f"| sent / still consented | {out['sent']} / {consented} ({rate:.1f} %) |",
        f"| not sent: no worker running at any allowed moment before the deadline (outages) | {out['down']} |",
        f"| sent / consented, allowed by the caps, a worker running | {out['sent']} / {allowed} "
        f"({rate_allowed:.1f} %) |",
        f"| not sent and unexplained (bug check: must be 0) | {out['unexplained']} |",
        f"| claims refused to a second worker or a later pass | {audit['claims']['duplicate']} |",
        f"| messages handed to the outbound router / reminders sent | {audit['outbox']} / {audit['sent']} |",
        f"| duplicates sent | {audit['duplicates']} |",
        f"| sent after a stop or an erasure | {audit['after_stop_or_erasure']} |",
        f"| sent outside opening days 9:00-19:00 Paris | {audit['outside_hours']} |",
        f"| sent at or after their deadline | {audit['after_deadline']} |",
        f"| residents' days over 1 reminder / sends over 3 in 7 days | "
        f"{audit['day_cap_exceeded']} / {audit['week_cap_exceeded']} |",
        f"| distinct texts sent / not one GSM-7 segment / with a link | "
        f"{audit['texts']} / {audit['texts_not_one_gsm7_segment']} / {audit['texts_with_link']} |",
        f"| reminder keys without expiry at the year's end (the due index excepted) | {extra['keys_left']} |",
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
