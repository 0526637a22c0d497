"""The sweep of shared keys and files: entries past their stated age go even when nothing else is written.

A shared key (one list for everybody) cannot expire entry by entry: its TTL follows the newest entry; the local
spool's files (``PIMMS_DATA_DIR/spool``) have no TTL at all. The reminder worker (``bot.ops.worker``) runs
:func:`sweep_job` every half hour, and the retention check (``bot.privacy.retention``) looks at the oldest entry
of each shared key.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

import redis.asyncio as aioredis

from bot.handoff.activity import ACTIVITY_STREAM, STREAM_TTL_SECONDS
from bot.inbound.spool import purge
from bot.outbound.dead_letters import DEAD_LETTERS_TTL, DeadLetters
from bot.settings import Settings

log = logging.getLogger(__name__)


async def oldest_stream_entry(redis: aioredis.Redis) -> float | None:
    """When the oldest entry of the hand-off activity stream was added (its id is a millisecond time), or None."""
    first = await redis.xrange(ACTIVITY_STREAM, count=1)
    if not first:
        return None
    entry_id = first[0][0]
    text = entry_id.decode() if isinstance(entry_id, bytes) else str(entry_id)
    return int(text.split("-", 1)[0]) / 1000


async def sweep_shared_keys(redis: aioredis.Redis, now: float, spool_dir: Path | None = None) -> dict[str, int]:
    """Remove dead letters older than 30 days, activity-stream entries older than a day and, with ``spool_dir``,
    the local spool's files past their age (``bot.inbound.spool.purge``); how many of each."""
    removed = {
        "dead_letters": await DeadLetters(redis, DEAD_LETTERS_TTL, clock=lambda: now).prune(),
        "activity_stream": int(
            await redis.xtrim(ACTIVITY_STREAM, minid=str(int((now - STREAM_TTL_SECONDS) * 1000)), approximate=False)
        ),
    }
    if spool_dir is not None:
        removed["spool_files"] = len(purge(spool_dir, now))
    if any(removed.values()):
        log.info("shared keys swept: %s", ", ".join(f"{k} {v}" for k, v in removed.items()))
    return removed


async def sweep_job(ctx: dict[str, Any]) -> dict[str, int]:
    """arq cron job (the reminder worker): the sweep on the worker's Redis, at the real time."""
    return await sweep_shared_keys(ctx["redis"], time.time(), Settings.from_env().data_dir / "spool")
