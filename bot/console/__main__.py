"""`python -m bot.console`: serve the mediators' console on CONSOLE_PORT (BIND_HOST, or CONSOLE_HOST)."""

from __future__ import annotations

import logging
import os
import sys

import uvicorn

from bot.console.app import create_app
from bot.security import redact
from bot.settings import ConfigError, Settings


def main() -> int:
    """Run the console until stopped."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    redact.install(os.environ)
    settings = Settings.from_env()
    try:
        app = create_app(settings)
    except ConfigError as exc:
        print(f"ERROR: {exc}", file=sys.stderr)
        return 2
    host = os.environ.get("CONSOLE_HOST", "").strip() or settings.bind_host
    # ws="none": rasa pins websockets < 11, which uvicorn's websocket auto-detection cannot import.
    uvicorn.run(
        app,
        host=host,
        port=settings.console_port,
        log_level="info",
        # No access log: its lines would carry conversation URLs; errors are still logged.
        access_log=False,
        proxy_headers=True,
        ws="none",
        timeout_graceful_shutdown=2,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
