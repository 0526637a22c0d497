"""The bounded tracker (issue 27) moves old events to an archive key: the export shows them, erasure deletes them."""

from __future__ import annotations

from rasa.shared.core.constants import ACTION_LISTEN_NAME, ACTION_SESSION_START_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered

from bot.privacy.export import Exporter
from bot.privacy.keys import ARCHIVE_KEY, TRACKER_KEY, spec_for
from tests.tracker_stores import tracker_store_at

from .conftest import NOW, SMS_USER, World, keys_naming

SLOT = {"type": "text", "influence_conversation": False, "mappings": [{"type": "custom"}]}


async def _long_conversation(world: World, messages: int) -> None:
    store = tracker_store_at(
        world.url,
        Domain.from_dict({"slots": {"booking_motive": SLOT}}),
        key_prefix="pimmstracker",
        record_exp=3600,
        keep_turns=2,
        max_turns=3,
    )
    at = NOW.timestamp()
    for n in range(messages):
        tracker = await store.get_or_create_tracker(SMS_USER, append_action_listen=False)
        if not tracker.events:
            tracker.update(ActionExecuted(ACTION_SESSION_START_NAME, timestamp=at))
            tracker.update(SessionStarted(timestamp=at))
            tracker.update(ActionExecuted(ACTION_LISTEN_NAME, timestamp=at))
        tracker.update(UserUttered(f"question {n}", timestamp=at + n))
        if n == 0:
            tracker.update(SlotSet("booking_motive", "caf", timestamp=at + n))
        tracker.update(BotUttered(f"réponse {n}", timestamp=at + n))
        tracker.update(ActionExecuted(ACTION_LISTEN_NAME, timestamp=at + n))
        await store.save(tracker)


async def test_the_export_shows_the_archived_messages_and_erasure_deletes_them(world: World) -> None:
    await _long_conversation(world, 12)
    archive = ARCHIVE_KEY.replace("{sender}", SMS_USER)
    assert await world.redis.llen(archive) > 0 and 0 < await world.redis.ttl(archive) <= 3600

    document = await Exporter(world.redis, world.service.store, 90).export(SMS_USER, NOW)

    sections = {s["rubrique"]: s for s in document["rubriques"]}
    texts = [m["texte"] for m in sections["Messages"]["contenu"]]
    assert texts == [text for n in range(12) for text in (f"question {n}", f"réponse {n}")]
    assert sections["Informations retenues"]["contenu"] == {"booking_motive": "caf"}

    await world.eraser.erase(SMS_USER)
    assert not await world.redis.exists(archive, TRACKER_KEY.replace("{sender}", SMS_USER))
    assert await keys_naming(world.redis, SMS_USER) == []


def test_the_archive_key_is_registered_with_the_conversation_retention() -> None:
    archive = spec_for(ARCHIVE_KEY.replace("{sender}", SMS_USER))
    tracker = spec_for(TRACKER_KEY.replace("{sender}", SMS_USER))
    assert archive is not None and tracker is not None and archive.retention == tracker.retention
