"""Every Redis client of the stack, built from the settings: one server (REDIS_URL) or the primary that Redis
Sentinel names (REDIS_SENTINELS, REDIS_SENTINEL_MASTER), followed through a failover.

With Sentinel, REDIS_URL still gives the database, the ACL user, the password and TLS of the data servers; its
host and port are not used (the sentinels say which server is the primary). A client built here asks the
sentinels for the primary whenever it opens a connection, and drops its connections when the server it
reached answers as a replica (a demoted primary): during a failover commands fail with ``ConnectionError``
(the webhooks then keep messages in their local spool, the pumps retry at their next tick), afterwards they
reach the new primary. Nothing here retries a command by itself: a write retried after a lost answer could be
applied twice.

Durable writes (``replicated``): writes that acknowledge a resident's message (the inbound journal) or record a
consent, a booking, an opt-out or an erasure wait until ``REDIS_WAIT_REPLICAS`` replicas have them (Redis
``WAIT``, at most ``REDIS_WAIT_TIMEOUT_MS``), so that a failover right after the acknowledgement does not lose
them. Replication stays asynchronous for everything else (trackers, counters, caches).
"""

from __future__ import annotations

import logging
import time
import weakref
from typing import Any
from urllib.parse import quote, urlencode

import redis
import redis.asyncio as aioredis
import redis.asyncio.sentinel as aiosentinel
import redis.sentinel as syncsentinel
from arq.connections import RedisSettings
from redis.connection import SSLConnection, parse_url

from bot.settings import ConfigError, Settings

log = logging.getLogger(__name__)

# A key without personal data, written just before WAIT on the same connection (see ``replicated``).
WAIT_MARK = "pimms:replication:mark"
DEGRADED_SECONDS = 10.0  # no wait for replicas during this time after a wait that timed out
_SENTINEL_TIMEOUT = 1.0  # seconds for one sentinel to answer "who is the primary?"
_TLS_KEYS = ("ssl_keyfile", "ssl_certfile", "ssl_ca_certs", "ssl_cert_reqs", "ssl_check_hostname")


def sentinel_addresses(text: str) -> list[tuple[str, int]]:
    """``host:port,host:port`` (IPv6 as ``[::1]:26379``) as a list of addresses; ConfigError when malformed."""
    addresses: list[tuple[str, int]] = []
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        host, sep, port = item.rpartition(":")
        if not sep or not host or not port.isdigit():
            raise ConfigError(f"REDIS_SENTINELS: {item!r} is not host:port")
        addresses.append((host.strip("[]"), int(port)))
    return addresses


def server_options(url: str) -> dict[str, Any]:
    """What REDIS_URL says about the data servers besides their address: db, user, password, TLS."""
    options = {k: v for k, v in parse_url(url).items() if k not in ("host", "port", "path", "connection_class")}
    if parse_url(url).get("connection_class") is SSLConnection:
        options["ssl"] = True
    return options


def _sentinel_kwargs(settings: Settings) -> dict[str, Any]:
    kwargs: dict[str, Any] = {"socket_timeout": _SENTINEL_TIMEOUT, "socket_connect_timeout": _SENTINEL_TIMEOUT}
    if settings.redis_sentinel_password:
        kwargs["password"] = settings.redis_sentinel_password
    return kwargs


class Durability:
    """How many replicas must have a durable write, and how long to wait for them."""

    def __init__(self, replicas: int, timeout_ms: int) -> None:
        self.replicas = replicas
        self.timeout_ms = timeout_ms
        # After a wait that timed out (no replica: the replica died, or it is the new primary after a failover),
        # writes are not held for DEGRADED_SECONDS: one slow write then, not every one until a replica is back.
        self.degraded_until = 0.0


# Keyed by connection pool: arq pools and single-connection clients built on a client's pool share its policy.
_DURABILITY: weakref.WeakKeyDictionary[Any, Durability] = weakref.WeakKeyDictionary()


def _register(client: Any, settings: Settings) -> None:
    if settings.redis_wait_replicas > 0:
        _DURABILITY[client.connection_pool] = Durability(settings.redis_wait_replicas, settings.redis_wait_timeout_ms)


def client(
    settings: Settings, *, timeout: float | None = 5.0, connect_timeout: float = 5.0, decode: bool = False
) -> aioredis.Redis:
    """An asyncio client of the primary (``timeout``: read timeout in seconds, None to block)."""
    options = {"socket_timeout": timeout, "socket_connect_timeout": connect_timeout, "decode_responses": decode}
    made: aioredis.Redis
    if settings.redis_sentinels:
        sentinel = aiosentinel.Sentinel(
            sentinel_addresses(settings.redis_sentinels),
            sentinel_kwargs=_sentinel_kwargs(settings),
            **server_options(settings.redis_url),
        )
        made = sentinel.master_for(settings.redis_sentinel_master, **options)
    else:
        made = aioredis.Redis.from_url(settings.redis_url, **options)
    _register(made, settings)
    return made


def sync_client(
    settings: Settings, *, timeout: float | None = 5.0, connect_timeout: float = 5.0, decode: bool = False
) -> redis.Redis:
    """A blocking client of the primary (Rasa's tracker store, pings)."""
    options = {"socket_timeout": timeout, "socket_connect_timeout": connect_timeout, "decode_responses": decode}
    made: redis.Redis
    if settings.redis_sentinels:
        sentinel = syncsentinel.Sentinel(
            sentinel_addresses(settings.redis_sentinels),
            sentinel_kwargs=_sentinel_kwargs(settings),
            **server_options(settings.redis_url),
        )
        made = sentinel.master_for(settings.redis_sentinel_master, **options)
    else:
        made = redis.Redis.from_url(settings.redis_url, **options)
    _register(made, settings)
    return made


def arq_settings(settings: Settings, conn_timeout: int = 5) -> RedisSettings:
    """arq's connection settings: the URL, or the sentinels and the primary's name."""
    if not settings.redis_sentinels:
        made = RedisSettings.from_dsn(settings.redis_url)
        made.conn_timeout = conn_timeout
        return made
    options = server_options(settings.redis_url)
    return RedisSettings(
        host=sentinel_addresses(settings.redis_sentinels),  # arq takes the list of sentinels here
        sentinel=True,
        sentinel_master=settings.redis_sentinel_master,
        database=int(options.get("db") or 0),
        username=options.get("username"),
        password=options.get("password"),
        ssl=bool(options.get("ssl")),
        conn_timeout=conn_timeout,
    )


def store_options(settings: Settings) -> dict[str, Any]:
    """The keys our Rasa tracker and lock stores read to follow Sentinel (empty without it)."""
    if not settings.redis_sentinels:
        return {}
    options: dict[str, Any] = {
        "sentinels": settings.redis_sentinels,
        "sentinel_master": settings.redis_sentinel_master,
        "wait_replicas": settings.redis_wait_replicas,
        "wait_timeout_ms": settings.redis_wait_timeout_ms,
    }
    if settings.redis_sentinel_password:
        options["sentinel_password"] = settings.redis_sentinel_password
    return options


def settings_of_store(kwargs: dict[str, Any]) -> Settings:
    """The settings that a Rasa store's endpoint keys (url, port, db, username, password, use_ssl and ours from
    ``store_options``) stand for."""
    user = quote(str(kwargs.get("username") or ""), safe="")
    password = quote(str(kwargs.get("password") or ""), safe="")
    auth = f"{user}:{password}@" if user or password else ""
    scheme = "rediss" if kwargs.get("use_ssl") else "redis"
    host = kwargs.get("url") or kwargs.get("host") or "127.0.0.1"
    url = f"{scheme}://{auth}{host}:{int(kwargs.get('port') or 6379)}/{int(kwargs.get('db') or 0)}"
    tls = {k: str(kwargs[k]) for k in ("ssl_ca_certs", "ssl_certfile", "ssl_keyfile") if kwargs.get(k)}
    if tls:
        url += "?" + urlencode(tls)
    return Settings(
        redis_url=url,
        redis_sentinels=str(kwargs.get("sentinels") or ""),
        redis_sentinel_master=str(kwargs.get("sentinel_master") or ""),
        redis_sentinel_password=str(kwargs.get("sentinel_password") or ""),
        redis_wait_replicas=int(kwargs.get("wait_replicas") or 0),
        redis_wait_timeout_ms=int(kwargs.get("wait_timeout_ms") or 500),
    )


def ping(settings: Settings, timeout: float = 2.0) -> None:
    """Raise ``redis.RedisError`` unless the primary answers PING."""
    probe = sync_client(settings, timeout=timeout, connect_timeout=timeout)
    try:
        probe.ping()
    finally:
        probe.close()


class ReplicationUnknown(Exception):
    """The write was sent but the primary did not answer ``WAIT`` (it failed meanwhile): whether a replica has the
    write is unknown. Not a ``RedisError``: the caller must not treat the write as not made (the webhooks answer a
    retryable error and let the delivery's de-duplication mark decide)."""


async def replicated(made: aioredis.Redis, what: str, *, strict: bool = False) -> int:
    """Wait until the configured replicas hold every write this process made before (0: none configured).

    ``WAIT`` counts the writes of its own connection, and a pool may give the next command another connection:
    a small write of ``WAIT_MARK`` goes first on the same connection (one non-transactional pipeline). Replicas
    apply the primary's writes in order, so a replica that has the mark has the writes before it too. When
    fewer replicas answer in time the write stands (the primary has it; refusing it would make the replica a
    single point of failure) and a warning says so. When WAIT itself fails, ``strict`` raises ReplicationUnknown;
    otherwise a warning says so.
    """
    durability = _DURABILITY.get(made.connection_pool)
    if durability is None or time.monotonic() < durability.degraded_until:
        return 0
    try:
        async with made.pipeline(transaction=False) as pipe:
            pipe.set(WAIT_MARK, "1", px=60_000)
            pipe.execute_command("WAIT", durability.replicas, durability.timeout_ms)
            acknowledged = int((await pipe.execute())[1])
    except redis.RedisError as exc:
        if strict:
            raise ReplicationUnknown(what) from exc
        log.warning("%s made, replication unknown (%s)", what, type(exc).__name__)
        return 0
    if acknowledged < durability.replicas:
        durability.degraded_until = time.monotonic() + DEGRADED_SECONDS
        log.warning(
            "%s kept by the primary, %d of %d replicas had it after %d ms (no wait for %d s)",
            what,
            acknowledged,
            durability.replicas,
            durability.timeout_ms,
            DEGRADED_SECONDS,
        )
    return acknowledged
