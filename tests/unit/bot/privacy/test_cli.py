"""`python -m bot residents erase|export|check-retention` against the real Redis test database."""

from __future__ import annotations

import io
import json
import os
import stat
from pathlib import Path

import pytest

from bot.identity import InvalidAddress
from bot.ops import residents as cli
from bot.privacy.residents import resolve
from bot.settings import Settings

from .conftest import SMS_USER, World, keys_naming


@pytest.mark.parametrize(
    ("raw", "sender"),
    [
        ("06 12 34 56 78", "sms-33612345678"),
        ("+33612345678", "sms-33612345678"),
        ("sms-33612345678", "sms-33612345678"),
        ("123456789", "tg-123456789"),
        ("tg-42", "tg-42"),
        ("telegram:-100123", "tg--100123"),
        ("rest:moi", "moi"),
    ],
)
def test_resolve(raw: str, sender: str) -> None:
    assert resolve(raw) == sender


@pytest.mark.parametrize("raw", ["", "bonjour", "sms-abc"])
def test_resolve_refuses(raw: str) -> None:
    with pytest.raises(InvalidAddress):
        resolve(raw)


async def test_export_then_erase(world: World, redis_url: str, tmp_path: Path, monkeypatch) -> None:
    await world.save_tracker(SMS_USER, [("user", "bonjour"), ("bot", "Bonjour !")])
    await world.handoffs.add_note(SMS_USER, "amina", "note")
    settings = Settings(redis_url=redis_url)
    out = tmp_path / "export.json"
    monkeypatch.setattr("sys.stdin", io.StringIO("06 12 34 56 78\n"))
    assert await _main(["export", "-", "--out", str(out)], settings) == 0
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["rubriques"][0]["contenu"][0]["texte"] == "bonjour"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert await _main(["erase", "sms-33612345678", "--yes"], settings) == 0
    assert await keys_naming(world.redis, SMS_USER) == []
    assert await _main(["check-retention"], settings) == 0


async def _main(argv: list[str], settings: Settings) -> int:
    import asyncio

    return await asyncio.get_running_loop().run_in_executor(None, lambda: cli.main(argv, settings))


async def test_the_export_file_is_private_whatever_the_umask(
    world: World, redis_url: str, tmp_path: Path, monkeypatch
) -> None:
    await world.save_tracker(SMS_USER, [("user", "bonjour")])
    out = tmp_path / "export.json"
    out.write_text("{}", encoding="utf-8")
    out.chmod(0o644)  # an older export, or a file the operator made beforehand
    old = os.umask(0o022)
    try:
        assert await _main(["export", "sms-33612345678", "--out", str(out)], Settings(redis_url=redis_url)) == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert json.loads(out.read_text(encoding="utf-8"))["rubriques"]


async def test_check_retention_prints_no_number(
    world: World, redis_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    await world.redis.set("pimms:unregistered:sms-33612345678", "x")
    await world.redis.set("pimms:handoff:conv:tg-987654321", "x")  # registered, but never expires
    assert await _main(["check-retention"], Settings(redis_url=redis_url)) == 1
    printed = capsys.readouterr().out
    assert "pimms:unregistered:sms-…" in printed and "not registered" in printed
    assert "33612345678" not in printed and "987654321" not in printed
    assert not any(run in printed for run in ("3361", "9876", "5678"))
