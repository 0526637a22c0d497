"""A real Sanic process serving the SMS channel in front of the Echo handler, run like Rasa runs it.

``app.run``: server listeners and SIGTERM handling as in ``rasa run``.
Usage: ``python -m tests.fakes.channel_app PORT REDIS_URL TWILIO_URL BURST DATA_DIR``.
"""

from __future__ import annotations

import os
import sys
import uuid

from sanic import Sanic

from tests.fakes.sanic_harness import Echo


def main(argv: list[str]) -> None:
    """Serve until SIGTERM."""
    from tests.integration.test_channels_http import sms_channel

    port, redis_url, twilio_url, burst, data_dir = argv
    os.environ["PIMMS_DATA_DIR"] = data_dir
    channel = sms_channel(redis_url, twilio_url, burst=float(burst))
    app = Sanic(f"channel_app_{uuid.uuid4().hex[:8]}")
    app.blueprint(channel.blueprint(Echo()), url_prefix="/webhooks/sms")
    app.run(host="127.0.0.1", port=int(port), workers=1, access_log=False)


if __name__ == "__main__":
    main(sys.argv[1:])
