"""Authentication to Rasa's HTTP API by a short-lived JWT in the ``Authorization`` header.

Rasa 3.6 accepts its API token only as a ``?token=`` query parameter, which ends up in access logs and
proxies. The stack starts Rasa with ``--jwt-secret`` derived from the API token (``jwt_key``), so a JWT
signed with that key and sent as ``Authorization: Bearer ...`` gives the same access without a secret in any URL.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable

import jwt

ALGORITHM = "HS256"
LIFETIME_SECONDS = 300
SUBJECT = "pimms-console"


def jwt_key(api_token: str) -> str:
    """The HS256 key derived from the API token (64 hex characters, whatever the token's length)."""
    return hashlib.sha256(b"pimms-rasa-jwt:" + api_token.encode()).hexdigest()


def api_jwt(api_token: str, now: float, lifetime: int = LIFETIME_SECONDS) -> str:
    """A JWT with the admin role Rasa's API requires, valid ``lifetime`` seconds from ``now``."""
    payload = {"user": {"username": SUBJECT, "role": "admin"}, "iat": int(now), "exp": int(now + lifetime)}
    return jwt.encode(payload, jwt_key(api_token), algorithm=ALGORITHM)


class BearerToken:
    """Caches one JWT and renews it a minute before it expires."""

    def __init__(self, secret: str, clock: Callable[[], float] = time.time) -> None:
        self._secret = secret
        self._clock = clock
        self._token = ""
        self._expires = 0.0

    def headers(self) -> dict[str, str]:
        """``{"Authorization": "Bearer <jwt>"}``, or no header when no secret is configured."""
        if not self._secret:
            return {}
        now = self._clock()
        if now > self._expires - 60:
            self._token, self._expires = api_jwt(self._secret, now), now + LIFETIME_SECONDS
        return {"Authorization": f"Bearer {self._token}"}
