"""`python -m bot.console`: serve the mediators' console on CONSOLE_PORT (127.0.0.1 unless CONSOLE_HOST)."""

from __future__ import annotations

import logging
import os
import sys

import uvicorn

from bot.console.app import create_app
from bot.settings import ConfigError, Settings


def main() -> int:
    """Run the console until stopped."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    settings = Settings.from_env()
    try:
        app = create_app(settings)
    except ConfigError as exc:
        print(f"ERROR: {exc}", file=sys.stderr)
        return 2
    host = os.environ.get("CONSOLE_HOST", "").strip() or "127.0.0.1"
    # ws="none": rasa pins websockets < 11, which uvicorn's websocket auto-detection cannot import.
    uvicorn.run(
        app,
        host=host,
        port=settings.console_port,
        log_level="info",
        proxy_headers=True,
        ws="none",
        timeout_graceful_shutdown=2,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
