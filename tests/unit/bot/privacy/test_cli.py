"""`python -m bot residents erase|export|check-retention` against the real Redis test database."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from bot.identity import InvalidAddress
from bot.privacy import cli
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
    assert await _main(["erase", "sms-33612345678", "--yes"], settings) == 0
    assert await keys_naming(world.redis, SMS_USER) == []
    assert await _main(["check-retention"], settings) == 0


async def _main(argv: list[str], settings: Settings) -> int:
    import asyncio

    return await asyncio.get_running_loop().run_in_executor(None, lambda: cli.main(argv, settings))
