"""The supervisor role: stored on the account, and the only one that can take over, reassign or close
a conversation someone else holds (an absent colleague, a deleted account)."""

from __future__ import annotations

import io

import pytest

from bot.console.cli import main
from bot.console.roles import Roles
from bot.handoff import messages
from bot.handoff.models import State
from bot.settings import Settings
from tests.sites import SITES_FILE
from tests.unit.console.conftest import PASSWORD, Console
from tests.unit.console.test_console_http import post

SID = "web-resident-9"


def make_supervisor(console: Console, name: str = "chef") -> None:
    async def go(_: object, accounts: object) -> None:
        await accounts.create(name, PASSWORD, supervisor=True)  # type: ignore[attr-defined]

    console.run(go)


def test_cli_creates_a_supervisor_and_can_change_the_role(
    redis_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import asyncio

    import redis.asyncio as aioredis

    def role(name: str) -> str:
        async def go() -> str:
            client = aioredis.Redis.from_url(redis_url)
            try:
                return await Roles(client).role(name)
            finally:
                await client.close()

        return asyncio.run(go())

    settings = Settings(sites_file=SITES_FILE, redis_url=redis_url)
    monkeypatch.setattr("sys.stdin", io.StringIO("un mot de passe long\n"))
    assert main(["create", "--supervisor", "chef", "--password-stdin"], settings) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("un mot de passe long\n"))
    assert main(["create", "amina", "--password-stdin"], settings) == 0
    assert role("chef") == "supervisor" and role("amina") == "mediator"
    capsys.readouterr()
    assert main(["list"], settings) == 0
    assert capsys.readouterr().out.splitlines() == ["amina", "chef (superviseur)"]
    monkeypatch.setattr("sys.stdin", io.StringIO("un autre mot de passe\n"))
    assert main(["password", "chef", "--password-stdin"], settings) == 0
    assert role("chef") == "supervisor"  # a password change keeps the role
    monkeypatch.setattr("sys.stdin", io.StringIO("un autre mot de passe\n"))
    assert main(["password", "chef", "--mediator", "--password-stdin"], settings) == 0
    assert role("chef") == "mediator"
    monkeypatch.setattr("sys.stdin", io.StringIO("un autre mot de passe\n"))
    assert main(["password", "amina", "--supervisor", "--password-stdin"], settings) == 0
    assert main(["delete", "amina"], settings) == 0 and role("amina") == "mediator"


def test_a_plain_mediator_cannot_touch_a_colleague_s_conversation(console: Console) -> None:
    console.seed(SID)
    alice, bob = console.login("alice"), console.login("bob")
    assert post(alice, f"/c/{SID}/claim").json()["ok"]
    assert post(bob, f"/c/{SID}/takeover").status_code == 403
    assert post(bob, f"/c/{SID}/close").status_code == 409
    assert post(bob, f"/c/{SID}/handback").status_code == 409
    assert post(bob, f"/c/{SID}/transfer", to="bob").status_code == 409
    record = console.state(SID)
    assert record.state == State.WITH_MEDIATOR and record.mediator == "alice"
    assert 'id="takeover"' not in bob.get(f"/c/{SID}").text


def test_supervisor_takes_over_reassigns_and_closes_an_abandoned_conversation(console: Console) -> None:
    make_supervisor(console)
    console.seed(SID)
    alice, chef = console.login("alice"), console.login("chef")
    assert post(alice, f"/c/{SID}/claim").json()["ok"]
    console.run(lambda _, accounts: accounts.delete("alice"))  # alice left: her account is gone

    assert 'id="takeover"' in chef.get(f"/c/{SID}").text
    assert post(chef, f"/c/{SID}/takeover").json()["ok"]
    record = console.state(SID)
    assert record.state == State.WITH_MEDIATOR and record.mediator == "chef"
    assert record.history[-1].action == "take_over" and record.history[-1].detail == "alice"
    assert post(chef, f"/c/{SID}/reply", text="Je reprends votre demande.").json()["ok"]

    assert post(chef, f"/c/{SID}/transfer", to="bob").json()["ok"]
    assert console.state(SID).mediator == "bob"
    assert post(chef, f"/c/{SID}/transfer", to="bob").status_code == 409  # already bob's
    assert post(chef, f"/c/{SID}/close").json()["ok"]
    assert console.state(SID).state == State.CLOSED
    texts = [m["text"] for m in console.resident.wait_for(SID, 3)]
    assert texts == [messages.CLAIMED, "Je reprends votre demande.", messages.CLOSED]
    assert console.rasa.tracker(SID)["paused"] is False


def test_supervisor_takes_a_waiting_conversation_and_hands_back_anyone_s(console: Console) -> None:
    make_supervisor(console)
    console.seed(SID)
    console.seed("web-resident-10")
    bob, chef = console.login("bob"), console.login("chef")
    assert post(chef, f"/c/{SID}/takeover").json()["ok"]
    assert console.resident.wait_for(SID, 1)[0]["text"] == messages.CLAIMED
    assert post(bob, "/c/web-resident-10/claim").json()["ok"]
    assert post(chef, "/c/web-resident-10/handback").json()["ok"]
    assert console.state("web-resident-10").state == State.BOT
