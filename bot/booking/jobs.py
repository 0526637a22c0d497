"""arq jobs as JSON, never pickle (issue 22, L11).

arq stores each job's function name and arguments in Redis and, by default, reads them back with
``pickle.loads``: anyone able to write one key in Redis would run code in the worker. Both sides, the
processes that enqueue reminders and the worker, use these functions instead; a payload that is not JSON
(a pickle, say) is refused by arq as a ``DeserializationError`` and the job fails without running anything.
"""

from __future__ import annotations

import json
from typing import Any

import redis.asyncio as aioredis
from arq.connections import ArqRedis, RedisSettings, create_pool

_ERROR = "__job_error__"


class JobError(RuntimeError):
    """A failed job's exception as read back from Redis: its class name and message only."""


def _encode(value: Any) -> Any:
    if isinstance(value, BaseException):  # arq stores a failed job's exception as its result
        return {_ERROR: type(value).__name__, "message": str(value)}
    if isinstance(value, tuple):
        return list(value)
    raise TypeError(f"not JSON serialisable in an arq job: {type(value).__name__}")


def _decode(mapping: dict[str, Any]) -> Any:
    if _ERROR in mapping:
        return JobError(f"{mapping[_ERROR]}: {mapping.get('message', '')}")
    return mapping


def dumps(data: Any) -> bytes:
    """A job (or its result) as UTF-8 JSON."""
    return json.dumps(data, default=_encode, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def loads(raw: bytes) -> Any:
    """A job read back; raises on anything but a JSON object (arq turns it into DeserializationError)."""
    data = json.loads(raw.decode("utf-8"), object_hook=_decode)
    if not isinstance(data, dict):
        raise ValueError("an arq job is a JSON object")
    return data


SERIALIZERS: dict[str, Any] = {"job_serializer": dumps, "job_deserializer": loads}


def arq_pool(client: aioredis.Redis) -> ArqRedis:
    """An arq client on ``client``'s connection pool that writes and reads jobs as JSON."""
    return ArqRedis(connection_pool=client.connection_pool, **SERIALIZERS)


async def create_arq_pool(settings: RedisSettings) -> ArqRedis:
    """A new arq connection (own pool) with the JSON serializers."""
    return await create_pool(settings, **SERIALIZERS)


def uses_json(pool: ArqRedis) -> bool:
    """Whether ``pool`` writes and reads jobs with these functions (not pickle)."""
    return pool.job_serializer is dumps and pool.job_deserializer is loads
