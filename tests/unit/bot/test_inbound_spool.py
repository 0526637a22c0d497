"""The local spool: kept on disk in order, survives a restart (a new object), a failed replay keeps the rest."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

import pytest

from bot.inbound.spool import MAX_AGE_SECONDS, LocalSpool, purge
from bot.security.pseudonym_key import PseudonymKey


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
    chat = "7712345678"  # long enough never to appear by chance inside a hex digest
    assert spool.tell_once(chat) and not spool.tell_once(chat)
    seen: list[int] = []

    async def redis_falls_again(record: dict[str, Any]) -> None:
        if record["n"] == 1:
            raise ConnectionError("redis down")
        seen.append(record["n"])

    with pytest.raises(ConnectionError):
        await spool.replay(redis_falls_again)
    assert spool.pending() and not LocalSpool(tmp_path, "telegram").tell_once(chat)  # a restart remembers
    assert chat.encode() not in spool.told_file.read_bytes()  # a keyed hash, not the chat id

    async def ok(record: dict[str, Any]) -> None:
        seen.append(record["n"])

    assert await spool.replay(ok) == 2
    assert seen == [0, 1, 2] and not spool.told_file.exists()
    assert spool.tell_once(chat)  # a later outage tells them again


def test_a_full_spool_refuses(tmp_path: Path) -> None:
    spool = LocalSpool(tmp_path, "sms", max_bytes=80)  # one small record with its time
    assert spool.append({"n": 1})
    assert not spool.append({"n": 2, "text": "x" * 40})


class Clock:
    def __init__(self, at: float) -> None:
        self.at = at

    def __call__(self) -> float:
        return self.at


def test_told_is_a_keyed_hash_that_the_spool_folder_alone_cannot_reverse(tmp_path: Path) -> None:
    number = "+33612345678"
    spool = LocalSpool(tmp_path / "spool", "sms", key=PseudonymKey(tmp_path / "secret"))
    assert spool.tell_once(number)
    told = spool.told_file.read_bytes()
    assert hashlib.sha256(number.encode()).hexdigest().encode() not in told  # what a dictionary would find
    assert PseudonymKey(tmp_path / "secret").digest(number).encode() in told
    other = LocalSpool(tmp_path / "spool2", "sms", key=PseudonymKey(tmp_path / "other"))
    other.tell_once(number)
    assert other.told_file.read_bytes() != told
    assert not list((tmp_path / "spool").glob("*.key"))  # the key is not beside the data


async def test_records_past_their_age_are_dropped_not_replayed(tmp_path: Path) -> None:
    clock = Clock(1_796_000_000.0)
    spool = LocalSpool(tmp_path, "sms", key=PseudonymKey(tmp_path / "k"), clock=clock)
    spool.append({"n": 1})
    clock.at += MAX_AGE_SECONDS - 60
    spool.append({"n": 2})
    clock.at += 120  # the first is now past its age, the second is not
    seen: list[int] = []

    async def handle(record: dict[str, Any]) -> None:
        seen.append(record["n"])

    assert await spool.replay(handle) == 1 and seen == [2]


async def test_a_poison_record_is_quarantined_and_the_channel_goes_on(tmp_path: Path) -> None:
    spool = LocalSpool(tmp_path, "sms", key=PseudonymKey(tmp_path / "k"))
    for n in range(3):
        spool.append({"n": n})
    seen: list[int] = []

    async def handle(record: dict[str, Any]) -> None:
        if record["n"] == 1:
            raise KeyError("params")  # a malformed record, not an outage
        seen.append(record["n"])

    assert await spool.replay(handle) == 2
    assert seen == [0, 2] and not spool.pending()
    [line] = spool.quarantine.read_bytes().splitlines()
    assert json.loads(line)["record"] == {"n": 1}
    assert spool.quarantine.stat().st_mode & 0o777 == 0o600


def test_purge_deletes_files_left_past_their_age(tmp_path: Path) -> None:
    now = 1_796_000_000.0
    spool = LocalSpool(tmp_path, "telegram", key=PseudonymKey(tmp_path / "k"))
    spool.append({"n": 1})
    spool.tell_once("42")
    spool.quarantine.write_text("{}\n")
    for path in (spool.live, spool.told_file):
        os.utime(path, (now - MAX_AGE_SECONDS - 10, now - MAX_AGE_SECONDS - 10))
    os.utime(spool.quarantine, (now - MAX_AGE_SECONDS - 10, now - MAX_AGE_SECONDS - 10))
    assert sorted(purge(tmp_path, now)) == ["telegram.jsonl", "telegram.told"]
    os.utime(spool.quarantine, (now - 31 * 86400, now - 31 * 86400))
    assert purge(tmp_path, now) == ["telegram.quarantine.jsonl"]
