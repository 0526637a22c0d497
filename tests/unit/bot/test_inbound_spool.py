"""The local spool: kept on disk in order, survives a restart (a new object), a failed replay keeps the rest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.inbound.spool import LocalSpool


async def test_spooled_records_are_replayed_in_order_by_a_new_process(tmp_path: Path) -> None:
    first = LocalSpool(tmp_path / "spool", "sms")
    for n in range(3):
        assert first.append({"n": n, "text": "é"})
    assert first.pending() and (tmp_path / "spool" / "sms.jsonl").stat().st_mode & 0o777 == 0o600
    after_restart = LocalSpool(tmp_path / "spool", "sms")
    seen: list[Any] = []

    async def handle(record: dict[str, Any]) -> None:
        seen.append(record["n"])
        if record["n"] == 0:
            after_restart.append({"n": 3})  # arrives during the replay: queued behind, replayed too

    assert await after_restart.replay(handle) == 4
    assert seen == [0, 1, 2, 3] and not after_restart.pending()


async def test_a_failure_during_the_replay_keeps_what_was_not_processed(tmp_path: Path) -> None:
    spool = LocalSpool(tmp_path, "telegram")
    for n in range(3):
        spool.append({"n": n})
    assert spool.tell_once("42") and not spool.tell_once("42")
    seen: list[int] = []

    async def redis_falls_again(record: dict[str, Any]) -> None:
        if record["n"] == 1:
            raise ConnectionError("redis down")
        seen.append(record["n"])

    with pytest.raises(ConnectionError):
        await spool.replay(redis_falls_again)
    assert spool.pending() and not LocalSpool(tmp_path, "telegram").tell_once("42")  # a restart remembers
    assert b"42" not in spool.told_file.read_bytes()  # a hash, not the chat id

    async def ok(record: dict[str, Any]) -> None:
        seen.append(record["n"])

    assert await spool.replay(ok) == 2
    assert seen == [0, 1, 2] and not spool.told_file.exists()
    assert spool.tell_once("42")  # a later outage tells them again


def test_a_full_spool_refuses(tmp_path: Path) -> None:
    spool = LocalSpool(tmp_path, "sms", max_bytes=30)
    assert spool.append({"n": 1})
    assert not spool.append({"n": 2, "text": "x" * 40})
