"""`python -m bot mediators`: accounts created with argon2 hashes, checked, listed, deleted."""

from __future__ import annotations

import asyncio
import io

import pytest
import redis

from bot.console.auth import ACCOUNTS_KEY, MediatorAccounts
from bot.console.cli import main
from bot.settings import Settings
from tests.sites import SITES_FILE


def verify(redis_url: str, name: str, password: str) -> bool:
    async def go() -> bool:
        import redis.asyncio as aioredis

        client = aioredis.Redis.from_url(redis_url)
        try:
            return await MediatorAccounts(client).verify(name, password)
        finally:
            await client.close()

    return asyncio.run(go())


def test_create_list_password_delete(
    redis_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = Settings(sites_file=SITES_FILE, redis_url=redis_url)
    monkeypatch.setattr("sys.stdin", io.StringIO("un mot de passe long\n"))
    assert main(["create", "alice", "--password-stdin"], settings) == 0
    stored = redis.Redis.from_url(redis_url).hget(ACCOUNTS_KEY, "alice").decode()
    assert stored.startswith("$argon2id$") and "un mot de passe" not in stored
    assert verify(redis_url, "alice", "un mot de passe long")
    assert not verify(redis_url, "alice", "un autre mot de passe")
    assert not verify(redis_url, "nobody", "un mot de passe long")

    monkeypatch.setattr("sys.stdin", io.StringIO("un mot de passe long\n"))
    assert main(["create", "alice", "--password-stdin"], settings) == 1  # already exists
    monkeypatch.setattr("sys.stdin", io.StringIO("court\n"))
    assert main(["create", "bob", "--password-stdin"], settings) == 1
    monkeypatch.setattr("sys.stdin", io.StringIO("nouveau mot de passe\n"))
    assert main(["password", "alice", "--password-stdin"], settings) == 0
    assert verify(redis_url, "alice", "nouveau mot de passe")
    capsys.readouterr()
    assert main(["list"], settings) == 0 and capsys.readouterr().out.split() == ["alice"]
    assert main(["delete", "alice"], settings) == 0 and main(["delete", "alice"], settings) == 1


def test_languages_spoken_by_a_mediator(
    redis_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = Settings(sites_file=SITES_FILE, redis_url=redis_url)
    monkeypatch.setattr("sys.stdin", io.StringIO("un mot de passe long\n"))
    assert main(["create", "samira", "--password-stdin"], settings) == 0
    capsys.readouterr()
    assert main(["languages", "samira", "ar", "en"], settings) == 0
    assert capsys.readouterr().out.strip() == "samira : fr ar en"
    assert main(["languages", "samira", "xx"], settings) == 1  # unknown code refused
    assert main(["languages", "nobody", "ar"], settings) == 1
    capsys.readouterr()
    assert main(["list"], settings) == 0 and capsys.readouterr().out.strip() == "samira [ar en]"
    assert main(["languages", "samira", "--clear"], settings) == 0
    assert capsys.readouterr().out.strip() == "samira : fr"
    assert main(["languages", "samira", "tr"], settings) == 0 and main(["delete", "samira"], settings) == 0
    assert not redis.Redis.from_url(redis_url).hget("pimms:console:mediator_languages", "samira")
