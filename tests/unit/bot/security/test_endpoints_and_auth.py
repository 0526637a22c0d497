"""Generated endpoints (authenticated action server, rediss/ACL user honoured) and the Rasa API JWT."""

from __future__ import annotations

import jwt

from bot.ops.endpoints_config import ACTION_TOKEN_HEADER, connect_host, endpoints, redis_store
from bot.security.rasa_auth import BearerToken, jwt_key
from bot.settings import Settings


def test_rediss_url_with_acl_user_keeps_tls_user_and_password() -> None:
    store = redis_store("rediss://pimms:p%40ss-word-1@redis.internal:6380/3?ssl_ca_certs=/etc/ca.pem")
    assert store == {
        "type": "redis",
        "url": "redis.internal",
        "port": 6380,
        "db": 3,
        "username": "pimms",
        "password": "p@ss-word-1",
        "use_ssl": True,
        "ssl_ca_certs": "/etc/ca.pem",
    }


def test_plain_url_has_no_tls_and_no_user() -> None:
    store = redis_store("redis://127.0.0.1:6379/0")
    assert "use_ssl" not in store and "username" not in store and "password" not in store


def test_action_endpoint_carries_the_token_header() -> None:
    settings = Settings(action_port=5055, action_token="action-token-123456", redis_url="redis://:pw@127.0.0.1:1/2")
    data = endpoints(settings)
    assert data["action_endpoint"] == {
        "url": "http://127.0.0.1:5055/webhook",
        "enable_selective_domain": True,
        "headers": {ACTION_TOKEN_HEADER: "action-token-123456"},
    }
    assert data["tracker_store"]["password"] == "pw" and data["lock_store"]["db"] == 2


def test_clients_reach_wildcard_binds_on_loopback() -> None:
    assert connect_host("127.0.0.1") == "127.0.0.1"
    assert connect_host("0.0.0.0") == "127.0.0.1"  # noqa: S104
    assert connect_host("10.1.2.3") == "10.1.2.3"


def test_bearer_jwt_is_an_admin_token_signed_with_the_derived_key() -> None:
    now = [1_800_000_000.0]
    token = BearerToken("rasa-api-token-123456", clock=lambda: now[0])
    header = token.headers()["Authorization"]
    assert header.startswith("Bearer ") and "rasa-api-token" not in header
    payload = jwt.decode(
        header.split(" ", 1)[1],
        jwt_key("rasa-api-token-123456"),
        algorithms=["HS256"],
        options={"verify_exp": False, "verify_iat": False},
    )
    assert payload["user"]["role"] == "admin" and payload["exp"] - now[0] == 300
    assert token.headers()["Authorization"] == header  # cached
    now[0] += 250
    assert token.headers()["Authorization"] != header  # renewed a minute before expiry
    assert BearerToken("").headers() == {}
