"""CLI: register the Telegram webhook (setWebhook with our secret token) and print the result."""

from __future__ import annotations

import argparse
import asyncio
import sys

from telegram import Bot
from telegram.error import TelegramError

from bot.outbound.telegram_sender import bot_base_url
from bot.settings import Settings

WEBHOOK_PATH = "/webhooks/telegram/webhook"


async def register(settings: Settings, delete: bool = False) -> str:
    """Call setWebhook (or deleteWebhook) then getWebhookInfo; return a one-line summary."""
    tg = settings.telegram
    async with Bot(tg.bot_token, base_url=bot_base_url(tg.api_base_url)) as bot:
        if delete:
            await bot.delete_webhook()
        else:
            url = settings.public_base_url + WEBHOOK_PATH
            await bot.set_webhook(
                url=url,
                secret_token=tg.webhook_secret,
                allowed_updates=["message", "edited_message", "callback_query"],
            )
        info = await bot.get_webhook_info()
    return f"webhook: {info.url or '(none)'} pending={info.pending_update_count}"


def main(argv: list[str] | None = None) -> int:
    """``python -m bot.ops.telegram_setup [--delete]``; exit 0 on success, 2 on bad config, 1 on API error."""
    parser = argparse.ArgumentParser(prog="telegram_setup", description=__doc__)
    parser.add_argument("--delete", action="store_true", help="remove the webhook instead")
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    if not settings.telegram.enabled or (not args.delete and not settings.public_base_url):
        print("TELEGRAM_BOT_TOKEN, TELEGRAM_WEBHOOK_SECRET and PUBLIC_BASE_URL are required", file=sys.stderr)
        return 2
    if not args.delete and not settings.public_base_url.startswith("https://"):
        print("warning: Telegram only calls https:// webhooks", file=sys.stderr)
    try:
        print(asyncio.run(register(settings, delete=args.delete)))
    except TelegramError as exc:
        print(f"Telegram refused: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
