"""Log redaction: secrets, tokens in URLs, phone numbers and chat ids never reach a log line (finding 2)."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from bot.ops.launch import expand
from bot.security import redact
from bot.security.redact import Redactor, secrets_from_env

SECRET = "s3cr3t-Value-42xyz"


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    factory = logging.getLogRecordFactory()
    format_exception = logging.Formatter.formatException
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logger = logging.getLogger("test.redact")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield stream
    logger.removeHandler(handler)
    logging.setLogRecordFactory(factory)
    logging.Formatter.formatException = format_exception  # type: ignore[method-assign]


@pytest.mark.parametrize(
    ("text", "forbidden"),
    [
        ("GET /conversations/sms-33612345678/tracker?token=abcdef", ["33612345678", "abcdef"]),
        ("POST https://api.telegram.org/bot5123456:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/sendMessage", ["AAHdq"]),
        ("telegram message sent to tg-5123456789", ["5123456789"]),
        ("rappel au 06 12 34 56 78 ou +33 6 12 34 56 78", ["12 34 56", "6 12 34"]),
        ("redis://user:pw-Redis-99@10.0.0.5:6379/0", ["pw-Redis-99"]),
        ("Authorization: Bearer eyJhbGciOi.eyJ1c2VyIjp.sig", ["eyJhbGciOi"]),
        (f"the value {SECRET} leaked", [SECRET]),
    ],
)
def test_redactor_masks(text: str, forbidden: list[str]) -> None:
    clean = Redactor([SECRET])(text)
    for part in forbidden:
        assert part not in clean, clean


def test_ports_and_short_numbers_stay_readable() -> None:
    assert (
        Redactor()("Rasa on 127.0.0.1:5005, 3 messages, update 42") == "Rasa on 127.0.0.1:5005, 3 messages, update 42"
    )


def test_every_record_of_every_logger_is_redacted_including_tracebacks(captured: io.StringIO) -> None:
    redact.install({"RASA_TOKEN": SECRET})
    log = logging.getLogger("test.redact")
    log.info("calling %s for %s", f"http://x/?token={SECRET}", "sms-33612345678")
    try:
        raise RuntimeError(f"failed with {SECRET} for +33612345678")
    except RuntimeError:
        log.exception("boom")
    output = captured.getvalue()
    assert "calling" in output and "boom" in output
    assert SECRET not in output and "33612345678" not in output


def test_noisy_libraries_are_turned_down(captured: io.StringIO) -> None:
    redact.install({})
    assert logging.getLogger("httpx").getEffectiveLevel() >= logging.WARNING
    assert logging.getLogger("uvicorn.access").getEffectiveLevel() >= logging.WARNING


def test_known_secrets_include_the_redis_password() -> None:
    known = secrets_from_env({"REDIS_URL": "rediss://app:Redis-pw-123@h:6380/0", "RASA_TOKEN": SECRET})
    assert "Redis-pw-123" in known and SECRET in known


def test_launch_takes_secrets_from_the_environment_not_the_command_line() -> None:
    args = ["run", "--auth-token", "@env:RASA_TOKEN", "--port", "5005"]
    assert expand(args, {"RASA_TOKEN": SECRET}) == ["run", "--auth-token", SECRET, "--port", "5005"]
    with pytest.raises(SystemExit, match="RASA_TOKEN"):
        expand(args, {})
