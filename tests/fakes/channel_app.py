"""A real Sanic process serving the SMS channel in front of the Echo handler, run like Rasa runs it.

``app.run``: server listeners and SIGTERM handling as in ``rasa run``.
Usage: ``python -m tests.fakes.channel_app PORT REDIS_URL TWILIO_URL BURST DATA_DIR``.
"""

from __future__ import annotations

import sys
import uuid
from pathlib import Path

from sanic import Sanic

from tests.fakes.sanic_harness import Echo, sms_channel


def main(argv: list[str]) -> None:
    """Serve until SIGTERM."""
    port, redis_url, twilio_url, burst, data_dir = argv
    channel = sms_channel(redis_url, twilio_url, burst=float(burst), data_dir=Path(data_dir))
    app = Sanic(f"channel_app_{uuid.uuid4().hex[:8]}")
    app.blueprint(channel.blueprint(Echo()), url_prefix="/webhooks/sms")
    app.run(host="127.0.0.1", port=int(port), workers=1, access_log=False)


if __name__ == "__main__":
    main(sys.argv[1:])
