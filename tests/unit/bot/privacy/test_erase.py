"""Erasure on the real Redis: every key of the sender goes (except the opt-out), bookings are cancelled."""

from __future__ import annotations

from arq.constants import job_key_prefix
from redis import Redis as SyncRedis

from bot.booking.calendar import Slot, cell_keys
from bot.booking.reminders import REMINDER_QUEUE, reminder_job_id
from bot.fifo_lock import FifoLock
from bot.handoff.activity import announce
from bot.handoff.links import link_token, resolve_token
from bot.handoff.store import HELD_KEY, QUEUE_KEY
from bot.inbound.journal import InboundJournal
from bot.optout import OptOutStore
from bot.outbound.dead_letters import DeadLetters
from bot.privacy.keys import Retention, registry

from .conftest import SMS_USER, TG_USER, World, keys_holding, keys_naming


async def _activity(world: World, user: str) -> None:
    redis = world.redis
    await world.save_tracker(user, [("user", "rdv caf"), ("bot", "Quel jour ?")])
    await world.handoffs.request(user)
    await world.handoffs.add_note(user, "amina", "dossier APL en retard")
    for key in (f"pimms:rl:in:{user}", f"pimms:sms:buttons:{user}", f"pimms:rl:out:{user}:2026-11-27"):
        await redis.set(key, "1", ex=600)
    await redis.set(f"pimms:handoff:seen:{user}:1764226800000", 2, ex=600)
    await FifoLock(redis, "pimmslock:", lifetime=600).acquire(user)  # the real lock keys, held
    sync = SyncRedis.from_url(world.url)
    announce(sync, user)  # the hand-off activity stream (one shared key) names the conversation
    sync.close()
    await link_token(redis, user)
    await DeadLetters(redis).add(user, "sms", "Votre rendez-vous est confirmé", "provider error")


async def test_erasure_leaves_only_the_opt_out(world: World) -> None:
    future = await world.book_first_free(SMS_USER)
    past = await world.book_past(SMS_USER)
    await _activity(world, SMS_USER)
    await OptOutStore(world.redis).opt_out(SMS_USER)
    await world.book_first_free(TG_USER)
    await _activity(world, TG_USER)
    before_other = await keys_naming(world.redis, TG_USER)

    token = await link_token(world.redis, SMS_USER)
    report = await world.eraser.erase(SMS_USER)
    assert await resolve_token(world.redis, token) is None  # the opaque link no longer leads to anyone

    assert await keys_naming(world.redis, SMS_USER) == [f"pimms:optout:{SMS_USER}"]
    # Not only key names: no shared key (dead letters, activity stream, queues) still holds the person.
    assert await keys_holding(world.redis, SMS_USER.removeprefix("sms-")) == [f"pimms:optout:{SMS_USER}"]
    assert f"pimmslock:{{{TG_USER}}}:q" in before_other  # the lock keys really were there
    assert report.opted_out and report.upcoming_cancelled == 1 and report.bookings_deleted == 2
    assert await world.service.store.get(future.ref) is None and await world.service.store.get(past.ref) is None
    assert await world.service.store.all_for_user(SMS_USER) == []
    assert await world.redis.zscore(QUEUE_KEY, SMS_USER) is None
    assert not await world.redis.sismember(HELD_KEY, SMS_USER)
    assert await keys_naming(world.redis, TG_USER) == before_other  # nobody else touched
    assert [d.sender_id for d in await DeadLetters(world.redis).list()] == [TG_USER]


async def test_erasure_frees_the_slot_and_cancels_the_reminder(world: World) -> None:
    booking = await world.book_first_free(SMS_USER)
    job = reminder_job_id(booking.ref)
    assert await world.redis.zscore(REMINDER_QUEUE, job) is not None
    cells = cell_keys(Slot(booking.site_id, booking.start, booking.end), 30)
    load = await world.service.store.day_load(booking.site_id, booking.start.date())
    assert all(load[c] == 1 for c in cells)

    await world.eraser.erase(SMS_USER)

    load = await world.service.store.day_load(booking.site_id, booking.start.date())
    assert all(load.get(c, 0) == 0 for c in cells)
    assert await world.redis.zscore(REMINDER_QUEUE, job) is None
    assert not await world.redis.exists(job_key_prefix + job)


async def test_erasure_is_idempotent_and_handles_odd_sender_ids(world: World) -> None:
    odd = "rest-[a]*?\\x"
    await world.save_tracker(odd, [("user", "bonjour")])
    await world.redis.set(f"pimms:rl:out:{odd}:2026-11-27", 1, ex=60)
    await world.redis.set("pimms:rl:out:rest-aa:2026-11-27", 1, ex=60)  # would match an unescaped glob
    await world.eraser.erase(odd)
    await world.eraser.erase(odd)
    assert await keys_naming(world.redis, odd) == []
    assert await world.redis.exists("pimms:rl:out:rest-aa:2026-11-27")


async def test_booking_index_expires_with_the_last_booking(world: World) -> None:
    await world.book_first_free(SMS_USER)
    ttl = await world.redis.ttl(f"pimms:booking:user:{SMS_USER}")
    assert ttl > 0


def test_every_kept_key_says_why() -> None:
    assert all(spec.why for spec in registry() if spec.retention == Retention.KEPT)


async def test_erasure_discards_the_messages_waiting_in_the_inbound_journal(world: World) -> None:
    sms, telegram = InboundJournal(world.redis, "sms", "rasa-1"), InboundJournal(world.redis, "telegram", "rasa-1")
    await sms.add(SMS_USER, {"text": "et mon dossier ?"}, due=0.0)  # arrived after OUI, in the burst window
    await telegram.add(TG_USER, {"text": "bonjour"}, due=0.0)
    await world.eraser.erase(SMS_USER)
    assert await sms.pending(SMS_USER) == 0 and await sms.due_senders(now=1.0) == []  # never answered
    assert await telegram.due_senders(now=1.0) == [TG_USER]  # nobody else touched
