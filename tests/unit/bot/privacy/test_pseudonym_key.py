"""The pseudonyms' key: outside Redis, in a 0600 file of a 0700 folder (or PSEUDONYM_KEY), new every year."""

from __future__ import annotations

import stat
from datetime import datetime, timezone
from pathlib import Path

import pytest

from bot.security.pseudonym_key import PseudonymKey, PseudonymKeyError


class Moment:
    def __init__(self, year: int) -> None:
        self.at = datetime(year, 6, 1, tzinfo=timezone.utc).timestamp()

    def __call__(self) -> float:
        return self.at


def test_the_key_file_is_private_shared_and_stable(tmp_path: Path) -> None:
    clock = Moment(2026)
    first = PseudonymKey(tmp_path, clock=clock)
    digest = first.digest("sms-33612345678")
    path = first.path(2026)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert PseudonymKey(tmp_path, clock=clock).digest("sms-33612345678") == digest  # another process
    assert digest != PseudonymKey(tmp_path / "other", clock=clock).digest("sms-33612345678")


def test_a_new_year_draws_a_new_key_and_deletes_the_old_one(tmp_path: Path) -> None:
    clock = Moment(2026)
    key = PseudonymKey(tmp_path, clock=clock)
    before = key.digest("tg-4242")
    clock.at = Moment(2027).at
    after = key.digest("tg-4242")
    assert after != before
    assert sorted(p.name for p in key.folder.iterdir()) == ["pseudonym-2027.key"]


def test_the_environment_key_wins_and_must_be_long_hex(tmp_path: Path) -> None:
    key = PseudonymKey.from_env({"PSEUDONYM_KEY": "ab" * 16}, data_dir=tmp_path)
    assert key.current() == bytes.fromhex("ab" * 16)
    assert not (tmp_path / "keys").exists()
    with pytest.raises(PseudonymKeyError):
        PseudonymKey(tmp_path, "abcd").current()
    with pytest.raises(PseudonymKeyError):
        PseudonymKey(tmp_path, "zz" * 20).current()
