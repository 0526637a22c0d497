"""`make run`: start the whole stack in one terminal, print where it listens, stop cleanly on Ctrl-C."""

from __future__ import annotations

import os
import signal
import sys

from bot.ops.redis_server import RedisUnavailable, mask_url
from bot.ops.stack import Stack
from bot.ops.training import model_path
from bot.security.private_files import PRIVATE_UMASK
from bot.settings import PROJECT_ROOT, ConfigError

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def _shield() -> None:
    """Ignore further stop signals: a stop in progress must finish (make forwards TERM a second time)."""
    for signum in STOP_SIGNALS:
        signal.signal(signum, signal.SIG_IGN)


def _interrupt(signum: int, frame: object) -> None:
    _shield()
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    """Run the stack until Ctrl-C or until one process dies."""
    # Before anything is written or spawned: every file the stack and its children create is 0600 (M1).
    os.umask(PRIVATE_UMASK)
    model = model_path(PROJECT_ROOT / "models")
    if not model.exists():
        print("No trained model: run `make train` first (make run does it for you).", file=sys.stderr)
        return 2
    stack = Stack(env=dict(os.environ), model=model)
    # Ctrl-C and SIGTERM both stop cleanly (SIGINT is re-enabled: a background shell may ignore it).
    # A second signal during the stop is ignored (_shield), so the stop always completes.
    for signum in STOP_SIGNALS:
        signal.signal(signum, _interrupt)
    try:
        stack.start()
    except RedisUnavailable as exc:
        print(
            f"\nERROR: {exc}\nStart Redis, fix REDIS_URL, or unset REDIS_URL to use the embedded server.",
            file=sys.stderr,
        )
        _shield()
        stack.stop()
        return 1
    except ConfigError as exc:
        print(f"\nERROR: configuration: {exc}", file=sys.stderr)
        _shield()
        stack.stop()
        return 1
    except (RuntimeError, TimeoutError) as exc:
        print(f"\nERROR: {exc}", file=sys.stderr)
        _shield()
        stack.stop()
        return 1
    except KeyboardInterrupt:
        _shield()
        stack.stop()
        return 130
    print("\n=== PIMMS assistant is running (Ctrl-C to stop) ===")
    print(f"Redis    : {mask_url(stack.env['REDIS_URL'])}")
    for name, url in stack.urls().items():
        print(f"{name:<9}: {url}")
    if not os.environ.get("RASA_TOKEN"):
        print(f"API token: in {stack.var / 'rasa_token'}")
    print("Channels :")
    from bot.ops.channels_config import describe

    for line in describe(stack.channels):
        print(f"  - {line}")
    optional = (("SMS", "channels.twilio_sms.TwilioSmsInput"), ("Telegram", "channels.telegram.TelegramInput"))
    off = [name for name, key in optional if key not in stack.channels]
    if off:
        print(f"  (off: {', '.join(off)}; set their variables in .env to turn them on)")
    port = stack.env["RASA_PORT"]
    if any(key.endswith("PrivacyRestInput") for key in stack.channels):
        auth = " -H 'Authorization: Bearer $REST_TOKEN'" if stack.env.get("REST_TOKEN") else ""
        rest = f"curl -s -X POST localhost:{port}/webhooks/rest/webhook{auth}"
        print(f"""Try: {rest} -d '{{"sender":"x","message":"bonjour"}}'""")
    try:
        dead = stack.wait_alive()
        print(f"\nERROR: process '{dead}' stopped; stopping everything.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nStopping...")
        return 0
    finally:
        _shield()
        stack.stop()
        print("Stopped.")


if __name__ == "__main__":
    sys.exit(main())
