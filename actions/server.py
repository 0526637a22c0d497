"""`python -m actions.server`: rasa_sdk's action server, bound to BIND_HOST and authenticated.

rasa_sdk 3.6 has no authentication and binds ``SANIC_HOST`` (0.0.0.0 by default). Here the host is
passed explicitly (127.0.0.1 unless BIND_HOST says otherwise) and every request but ``/health`` must
carry ``X-Pimms-Action-Token`` (sent by Rasa from the generated endpoints file), else 403.
"""

from __future__ import annotations

import hmac
import logging
import os
import sys
from typing import cast

from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.ops.endpoints_config import ACTION_TOKEN_HEADER
from bot.security import redact
from bot.settings import Settings

log = logging.getLogger(__name__)
OPEN_PATHS = frozenset({"/health"})


def token_ok(expected: str, given: str | None) -> bool:
    """Constant-time comparison; an empty expected token never matches."""
    return bool(expected) and given is not None and hmac.compare_digest(expected.encode(), given.encode())


def create_app(token: str, package: str = "actions") -> Sanic:
    """rasa_sdk's app (no CORS origin) with the token check in front of every route but /health."""
    from rasa_sdk.endpoint import create_app as sdk_app

    app = sdk_app(package, cors_origins="")

    @app.middleware("request")
    async def authenticate(request: Request) -> HTTPResponse | None:
        if request.path in OPEN_PATHS:
            return None
        if not token_ok(token, request.headers.get(ACTION_TOKEN_HEADER)):
            log.warning("action server: request without a valid token refused (%s)", request.path)
            return response.json({"error": "forbidden"}, status=403)
        return None

    return cast(Sanic, app)


def main() -> int:
    """Serve the actions until stopped."""
    settings = Settings.from_env()
    if not settings.action_token:
        print("ERROR: ACTION_TOKEN is required (make run generates it).", file=sys.stderr)
        return 2
    from rasa_sdk import utils

    utils.configure_colored_logging(os.environ.get("LOG_LEVEL", "INFO"))
    utils.update_sanic_log_level()
    redact.install(os.environ)
    app = create_app(settings.action_token)
    log.info("action server on %s:%s (token required)", settings.bind_host, settings.action_port)
    app.run(settings.bind_host, settings.action_port, workers=1, access_log=False, motd=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
