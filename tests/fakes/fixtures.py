"""Pytest fixtures for the fake Twilio and Telegram servers (register with ``pytest_plugins``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fakes.telegram_server import FakeTelegram
from tests.fakes.twilio_server import FakeTwilio


@pytest.fixture(scope="session")
def fake_twilio_server() -> Iterator[FakeTwilio]:
    """One fake Twilio REST API for the session."""
    server = FakeTwilio().start()
    yield server
    server.stop()


@pytest.fixture
def fake_twilio(fake_twilio_server: FakeTwilio) -> FakeTwilio:
    """The session's fake Twilio, emptied for this test."""
    fake_twilio_server.clear()
    return fake_twilio_server


@pytest.fixture(scope="session")
def fake_telegram_server() -> Iterator[FakeTelegram]:
    """One fake Telegram Bot API for the session."""
    server = FakeTelegram().start()
    yield server
    server.stop()


@pytest.fixture
def fake_telegram(fake_telegram_server: FakeTelegram) -> FakeTelegram:
    """The session's fake Telegram, emptied for this test."""
    fake_telegram_server.clear()
    return fake_telegram_server
