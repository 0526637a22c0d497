"""Rasa's endpoints file, generated from the settings: the authenticated action server, the Redis stores, and
the settings of our activity event broker (which then never reads the environment).

Generating it (instead of ``${VAR}`` interpolation in a static endpoints.yml) keeps types right
(``use_ssl`` must be a boolean) and honours every part of REDIS_URL: ``rediss://`` TLS, the ACL user
name, the password, the database and the TLS file options of the query string.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

from bot import redis_connect
from bot.settings import Settings

ACTION_TOKEN_HEADER = "X-Pimms-Action-Token"
# Rasa's action endpoint key (rasa/core/actions/constants.py): without it every call posts the whole domain.
SELECTIVE_DOMAIN = "enable_selective_domain"
# Our stores (stores/): Rasa's Redis tracker store saving faster and announcing held conversations, and a
# lock store that is atomic and fair across processes. They take the same keys as Rasa's ``redis`` type.
TRACKER_STORE_TYPE = "stores.tracker_store.PimmsTrackerStore"
LOCK_STORE_TYPE = "stores.lock_store.FifoRedisLockStore"
ACTIVITY_BROKER_TYPE = "stores.event_broker.ActivityEventBroker"
SENTINEL_SETTINGS = (
    "redis_sentinels",
    "redis_sentinel_master",
    "redis_sentinel_password",
    "redis_wait_replicas",
    "redis_wait_timeout_ms",
)
_TLS_OPTIONS = ("ssl_ca_certs", "ssl_certfile", "ssl_keyfile")


def connect_host(bind_host: str) -> str:
    """Where local clients reach a server bound to ``bind_host`` (loopback for wildcard binds)."""
    if bind_host in ("", "0.0.0.0", "::", "localhost"):  # noqa: S104 (this maps the wildcard, never binds it)
        return "127.0.0.1"
    try:
        address = ipaddress.ip_address(bind_host)
    except ValueError:
        return bind_host
    if address.is_loopback:
        return "127.0.0.1"
    return f"[{bind_host}]" if address.version == 6 else bind_host


def redis_store(url: str) -> dict[str, Any]:
    """The keyword arguments of Rasa's Redis tracker and lock stores for a redis:// or rediss:// URL."""
    parsed = urlparse(url)
    store: dict[str, Any] = {
        "type": "redis",
        "url": parsed.hostname or "127.0.0.1",
        "port": parsed.port or 6379,
        "db": int((parsed.path or "/0").lstrip("/") or 0),
    }
    if parsed.username:
        store["username"] = unquote(parsed.username)
    if parsed.password:
        store["password"] = unquote(parsed.password)
    if parsed.scheme == "rediss":
        store["use_ssl"] = True
        query = parse_qs(parsed.query)
        for option in _TLS_OPTIONS:
            if query.get(option):
                store[option] = query[option][0]
    return store


def endpoints(settings: Settings) -> dict[str, Any]:
    """The content of the endpoints file for ``settings`` (holds secrets: write it 0600)."""
    action: dict[str, Any] = {
        "url": f"http://{connect_host(settings.bind_host)}:{settings.action_port}/webhook",
        # The domain (every FAQ answer) goes only to the actions that declare `send_domain: true` in domain/.
        SELECTIVE_DOMAIN: True,
    }
    if settings.action_token:
        action["headers"] = {ACTION_TOKEN_HEADER: settings.action_token}
    # With Sentinel the stores follow the primary the sentinels name (bot/redis_connect.py).
    store = {**redis_store(settings.redis_url), **redis_connect.store_options(settings)}
    return {
        "action_endpoint": action,
        "tracker_store": {
            **store,
            "type": TRACKER_STORE_TYPE,
            "key_prefix": "pimmstracker",
            "record_exp": settings.tracker_ttl_seconds,
        },
        "lock_store": {**store, "type": LOCK_STORE_TYPE, "key_prefix": "pimmslock"},
    }


def generated_endpoints(base: Mapping[str, Any], settings: Settings) -> dict[str, Any]:
    """The operator's endpoints.yml (``base``) with the generated sections; our activity event broker, when
    configured there, gets the settings it uses (another broker is kept as written)."""
    generated = {**base, **endpoints(settings)}
    broker = base.get("event_broker")
    if isinstance(broker, Mapping) and broker.get("type") == ACTIVITY_BROKER_TYPE:
        used = {
            "redis_url": settings.redis_url,
            "activity_retention_days": settings.activity_retention_days,
            **{name: getattr(settings, name) for name in SENTINEL_SETTINGS},
        }
        generated["event_broker"] = {**broker, "settings": used}
    return generated
