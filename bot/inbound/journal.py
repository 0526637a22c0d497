"""The inbound journal in Redis: each accepted message is kept until its turn has been processed.

Per channel ``c`` and sender ``s`` (every key expires; the sender id is personal data):
``pimms:inbound:q:<s>`` messages waiting (burst window), ``pimms:inbound:<c>:due`` when each sender's
waiting messages are due, ``pimms:inbound:run:<s>`` the messages of the turn in progress and the process
running it, ``pimms:inbound:<c>:running`` senders with a turn in progress, ``pimms:inbound:alive:<owner>``
a process's heartbeat. A turn whose process has no heartbeat any more is put back in the queue, first in line and
as the same turn: it is claimed alone, never merged with the messages that arrived meanwhile (its first attempt
may have answered already; merged, it would be another turn with other answers).
"""

from __future__ import annotations

import json
from typing import Any

import redis.asyncio as aioredis

from bot import redis_connect

PREFIX = "pimms:inbound"
REQUEUED_MARK = "requeued-turn"  # first item of a claim that takes a requeued turn (never a JSON entry)
ENTRY_TTL = 24 * 3600
DELIVERED_TTL = 3 * 24 * 3600  # bot.dedup.DEFAULT_TTL
HEARTBEAT_TTL = 20
ALL = 1e18  # a "now" after every due time (claim everything, on stop)

_CLAIM = """
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not score or tonumber(score) > tonumber(ARGV[2]) then return false end
if redis.call('EXISTS', KEYS[3]) == 1 then return false end
local items = redis.call('LRANGE', KEYS[2], 0, -1)
if #items == 0 then
  redis.call('ZREM', KEYS[1], ARGV[1])
  redis.call('DEL', KEYS[2])
  return false
end
local first = cjson.decode(items[1])
if type(first) == 'table' and first.requeued then
  redis.call('LPOP', KEYS[2])
  items = first.requeued
  if redis.call('LLEN', KEYS[2]) == 0 then redis.call('ZREM', KEYS[1], ARGV[1]) end
  redis.call('SET', KEYS[3], cjson.encode({owner = ARGV[3], entries = items}), 'EX', ARGV[4])
  redis.call('SADD', KEYS[4], ARGV[1])
  redis.call('EXPIRE', KEYS[4], ARGV[4])
  local marked = {REQUEUED_MARK}
  for i = 1, #items do marked[i + 1] = items[i] end
  return marked
else
  redis.call('ZREM', KEYS[1], ARGV[1])
  redis.call('DEL', KEYS[2])
end
redis.call('SET', KEYS[3], cjson.encode({owner = ARGV[3], entries = items}), 'EX', ARGV[4])
redis.call('SADD', KEYS[4], ARGV[1])
redis.call('EXPIRE', KEYS[4], ARGV[4])
return items
"""
_CLAIM = _CLAIM.replace("REQUEUED_MARK", "'" + REQUEUED_MARK + "'")
_REQUEUE = """
local raw = redis.call('GET', KEYS[1])
if not raw then redis.call('SREM', KEYS[4], ARGV[1]) return 0 end
local run = cjson.decode(raw)
if run.owner ~= ARGV[4] then return 0 end
redis.call('LPUSH', KEYS[2], cjson.encode({requeued = run.entries}))
redis.call('EXPIRE', KEYS[2], ARGV[3])
redis.call('ZADD', KEYS[3], ARGV[2], ARGV[1])
redis.call('EXPIRE', KEYS[3], ARGV[3])
redis.call('DEL', KEYS[1])
redis.call('SREM', KEYS[4], ARGV[1])
return #run.entries
"""
_FINISH = """
local raw = redis.call('GET', KEYS[1])
if raw and cjson.decode(raw).owner == ARGV[2] then redis.call('DEL', KEYS[1]) end
redis.call('SREM', KEYS[2], ARGV[1])
return 1
"""


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


class Claimed(list[dict[str, Any]]):
    """The entries of a claimed turn; ``requeued``: the turn was started before (by a process that stopped or
    failed), so its answers may be out and its tracker saved already."""

    requeued: bool = False


def is_requeued(entries: list[dict[str, Any]]) -> bool:
    """Whether ``entries`` are a turn claimed again after its first attempt stopped (see ``Claimed``)."""
    return isinstance(entries, Claimed) and entries.requeued


class InboundJournal:
    """One channel's journal, used by one process (``owner``)."""

    def __init__(self, client: aioredis.Redis, channel: str, owner: str, ttl: int = ENTRY_TTL) -> None:
        self.client = client
        self.channel = channel
        self.owner = owner
        self.ttl = ttl
        self._due = f"{PREFIX}:{channel}:due"
        self._running = f"{PREFIX}:{channel}:running"

    @staticmethod
    def _key(kind: str, name: str) -> str:
        """``q``: a sender's waiting messages; ``run``: the turn being processed; ``alive``: a process heartbeat."""
        return f"{PREFIX}:{kind}:{name}"

    async def add(self, sender_id: str, entry: dict[str, Any], due: float, delivered: str = "") -> None:
        """Keep one accepted message; the sender's waiting messages become due at ``due`` (epoch s).

        ``delivered``: the webhook delivery's de-duplication key (bot/dedup.py), marked done in the same
        transaction, so that a crash can neither keep the message and let a retry add it again, nor the reverse.
        """
        async with self.client.pipeline(transaction=True) as pipe:
            if delivered:
                pipe.set(delivered, "1", ex=DELIVERED_TTL)
            pipe.rpush(self._key("q", sender_id), json.dumps(entry, ensure_ascii=False))
            pipe.expire(self._key("q", sender_id), self.ttl)
            pipe.zadd(self._due, {sender_id: due})
            pipe.expire(self._due, self.ttl)
            await pipe.execute()
        # Before the webhook acknowledges it; ReplicationUnknown when the primary fails meanwhile.
        await redis_connect.replicated(self.client, "inbound message", strict=True)

    async def discard(self, sender_id: str) -> None:
        """Forget a sender's waiting messages (STOP, erasure)."""
        async with self.client.pipeline(transaction=True) as pipe:
            pipe.delete(self._key("q", sender_id))
            pipe.zrem(self._due, sender_id)
            await pipe.execute()

    async def due_senders(self, now: float, limit: int = 100) -> list[str]:
        """Senders whose waiting messages are due."""
        return [_text(s) for s in await self.client.zrangebyscore(self._due, "-inf", now, start=0, num=limit)]

    async def claim(self, sender_id: str, now: float) -> Claimed | None:
        """Take a sender's due messages as one turn (None if not due or a turn is in progress); a requeued turn
        is taken alone, the messages behind it stay due."""
        keys = (self._due, self._key("q", sender_id), self._key("run", sender_id), self._running)
        items = await self.client.eval(_CLAIM, 4, *keys, sender_id, repr(now), self.owner, self.ttl)
        if not items:
            return None
        requeued = _text(items[0]) == REQUEUED_MARK
        claimed = Claimed(json.loads(_text(item)) for item in (items[1:] if requeued else items))
        claimed.requeued = requeued
        return claimed

    async def finish(self, sender_id: str) -> None:
        """The turn is processed: forget its messages."""
        await self.client.eval(_FINISH, 2, self._key("run", sender_id), self._running, sender_id, self.owner)

    async def requeue(self, sender_id: str, owner: str, due: float) -> int:
        """Put a turn of ``owner`` back in the queue, first in line; how many messages."""
        keys = (self._key("run", sender_id), self._key("q", sender_id), self._due, self._running)
        return int(await self.client.eval(_REQUEUE, 4, *keys, sender_id, repr(due), self.ttl, owner))

    async def heartbeat(self) -> None:
        """This process is alive (its turns in progress are not recovered by others)."""
        await self.client.set(self._key("alive", self.owner), "1", ex=HEARTBEAT_TTL)

    async def retire(self) -> None:
        """This process stops: whatever it did not finish may be recovered at once."""
        await self.client.delete(self._key("alive", self.owner))

    async def recover(self, now: float) -> int:
        """Requeue the turns of processes that stopped without finishing them; how many messages."""
        recovered = 0
        for member in await self.client.smembers(self._running):
            sender_id = _text(member)
            raw = await self.client.get(self._key("run", sender_id))
            if raw is None:
                await self.client.srem(self._running, sender_id)
                continue
            owner = str(json.loads(_text(raw)).get("owner", ""))
            if owner != self.owner and not await self.client.exists(self._key("alive", owner)):
                recovered += await self.requeue(sender_id, owner, now)
        return recovered

    async def pending(self, sender_id: str) -> int:
        """How many messages of a sender wait or are in a turn (tests, diagnostics)."""
        waiting = 0
        for item in await self.client.lrange(self._key("q", sender_id), 0, -1):
            entry = json.loads(_text(item))
            waiting += len(entry["requeued"]) if isinstance(entry, dict) and "requeued" in entry else 1
        raw = await self.client.get(self._key("run", sender_id))
        return waiting + (len(json.loads(_text(raw))["entries"]) if raw else 0)
