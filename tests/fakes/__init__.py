"""Fake Twilio and Telegram servers (real HTTP on 127.0.0.1) and their pytest fixtures."""

from tests.fakes.telegram_server import FakeTelegram
from tests.fakes.twilio_server import FakeTwilio

__all__ = ["FakeTelegram", "FakeTwilio"]
