"""Console hardening (issue 9, finding 4): login throttling, hashing off the event loop, sessions and live
streams ended on logout / password change / deletion, opaque conversation URLs, Secure cookies and HSTS."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import httpx
import pytest
from argon2 import PasswordHasher

from bot.console.app import create_app
from bot.console.auth import MediatorAccounts
from bot.settings import Settings
from tests.fakes.rasa_server import FakeRasa
from tests.unit.console.conftest import PASSWORD, Console, ServerThread
from tests.unit.console.test_console_http import _next_event, csrf_of

SID = "sms-33698765432"


class RecordingHasher(PasswordHasher):
    """Remembers the threads that hashed and verified."""

    threads: set[int] = set()

    def hash(self, password: str | bytes, *, salt: bytes | None = None) -> str:
        self.threads.add(threading.get_ident())
        return super().hash(password, salt=salt)

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:  # noqa: A002 (argon2's name)
        self.threads.add(threading.get_ident())
        return super().verify(hash, password)


async def test_password_hashing_runs_off_the_event_loop(redis_url: str) -> None:
    import redis.asyncio as aioredis

    client = aioredis.Redis.from_url(redis_url)
    accounts = MediatorAccounts(client, RecordingHasher())
    await accounts.create("carole", PASSWORD)
    assert await accounts.verify("carole", PASSWORD) and not await accounts.verify("nobody", PASSWORD)
    await client.close()
    assert RecordingHasher.threads and threading.get_ident() not in RecordingHasher.threads


def test_password_change_and_deletion_end_open_sessions(console: Console) -> None:
    alice, bob = console.login("alice"), console.login("bob")
    assert alice.get("/api/queue").status_code == 200 and bob.get("/api/queue").status_code == 200
    console.run(lambda _, accounts: accounts.create("alice", "a brand new password", replace=True))
    assert alice.get("/api/queue").status_code == 401
    console.run(lambda _, accounts: accounts.delete("bob"))
    assert bob.get("/api/queue").status_code == 401
    assert console.login("alice", "a brand new password").get("/api/queue").status_code == 200


@pytest.mark.timeout(30)
@pytest.mark.parametrize("how", ["logout", "password", "deletion"])
def test_live_streams_end_with_the_session(console: Console, how: str) -> None:
    console.seed(SID)
    client = console.login()
    other = console.login()  # logout ends only the session that logs out
    with client.stream("GET", f"/events/c/{console.ref(SID)}") as stream:
        frames = stream.iter_lines()
        assert _next_event(frames)["state"] == "waiting"
        if how == "logout":
            assert client.post("/logout", data={"csrf": csrf_of(client)}).status_code == 303
        elif how == "password":
            console.run(lambda _, accounts: accounts.create("alice", "another new password", replace=True))
        else:
            console.run(lambda _, accounts: accounts.delete("alice"))
        rest = "\n".join(frames)  # the server closes the stream: iteration ends
        assert "event: logout" in rest
    assert (other.get("/api/queue").status_code == 200) == (how == "logout")


def test_urls_and_json_carry_an_opaque_reference_not_the_number(console: Console) -> None:
    console.seed(SID)
    client = console.login()
    ref = console.ref(SID)
    page = client.get("/").text
    assert f"/c/{ref}" in page and "33698765432" not in page
    view = client.get(f"/api/c/{ref}").json()
    assert view["sender_id"] == ref and "33698765432" not in str(view)
    assert client.get("/c/r000000000000000000000000").status_code == 404
    claim = client.post(f"/c/{ref}/claim", data={"csrf": csrf_of(client)})
    assert claim.status_code == 303 and claim.headers["location"] == f"/c/{ref}"


@pytest.fixture
def https_console(redis_url: str) -> Iterator[str]:
    rasa = FakeRasa()
    settings = Settings(
        redis_url=redis_url,
        rasa_url=rasa.url,
        rasa_token=rasa.token,
        console_secret="test-console-secret",
        public_base_url="https://pimms.example.org",
        https=True,
    )
    server = ServerThread(create_app(settings, watch_interval=5))
    yield server.url
    server.stop()
    rasa.close()


def test_behind_https_cookies_are_secure_and_hsts_is_sent(https_console: str) -> None:
    with httpx.Client(base_url=https_console, timeout=10) as client:
        page = client.get("/login")
        assert page.headers["strict-transport-security"].startswith("max-age=")
        assert "secure" in page.headers["set-cookie"].lower()
