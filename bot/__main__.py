"""Command line: `python -m bot <command> ...`."""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path

from bot.settings import PROJECT_ROOT

COMMANDS = {
    "run": ("bot.ops.runner", "start the whole stack (make run)"),
    "bookings": ("bot.booking.cli", "list bookings, export a site's agenda as .ics"),
    "mediators": ("bot.console.cli", "create and manage mediator accounts"),
    "report": ("bot.reports.cli", "activity report (HTML with charts, or CSV) per week or month"),
    "residents": ("bot.ops.residents", "erase or export a resident's data, check every key's retention"),
    "kb-review": ("bot.kb.review", "list answers past their review date"),
    "telegram-webhook": ("bot.ops.telegram_setup", "register the Telegram webhook (setWebhook)"),
}


def _use_embedded_redis() -> None:
    """Without REDIS_URL, talk to the embedded Redis server that `make run` started, if it runs."""
    if os.environ.get("REDIS_URL", "").strip():
        return
    data_dir = Path(os.environ.get("PIMMS_DATA_DIR", "") or PROJECT_ROOT / "var")
    url_file = data_dir / "redis.url"
    if url_file.exists():
        os.environ["REDIS_URL"] = url_file.read_text(encoding="utf-8").strip()


def main(argv: list[str] | None = None) -> int:
    """Dispatch to a sub-command's ``main(argv)``."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in {"-h", "--help", "help"} or argv[0] not in COMMANDS:
        print("usage: python -m bot <command> [args]\n\ncommands:")
        for name, (_, text) in COMMANDS.items():
            print(f"  {name:<18} {text}")
        return 0 if not argv or argv[0] in {"-h", "--help", "help"} else 2
    module_name, _ = COMMANDS[argv[0]]
    _use_embedded_redis()
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        print(f"command {argv[0]!r} is not available: {exc}", file=sys.stderr)
        return 2
    return int(module.main(argv[1:]) or 0)


if __name__ == "__main__":
    sys.exit(main())
