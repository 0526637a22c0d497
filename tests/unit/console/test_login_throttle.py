"""Login throttling (review M6): an attempt is reserved before the password is checked, delays grow per
(account, address) instead of a hard lock, and a device that logged in before escapes the per-account limit."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import httpx
import pytest
import redis.asyncio as aioredis

from bot.clock import fixed_clock
from bot.console.devices import DEVICE_COOKIE
from bot.console.throttle import LoginThrottle
from tests.unit.console.conftest import PASSWORD, Console, running_console

START = datetime(2026, 12, 7, 9, 0, tzinfo=timezone.utc)


class StepClock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.moment = START

    def __call__(self) -> datetime:
        return self.moment

    def advance(self, seconds: float) -> None:
        self.moment += timedelta(seconds=seconds)


@pytest.fixture
def console(redis_url: str) -> Iterator[Console]:
    """A console whose clock stands still: a delay, once set, holds for the whole test."""
    with running_console(redis_url, ("alice", "bob"), now=fixed_clock(START)) as handle:
        yield handle


def _try(client: httpx.Client, name: str, password: str, address: str = "198.51.100.7") -> httpx.Response:
    """One login through the form, from ``address`` (uvicorn trusts X-Forwarded-For from 127.0.0.1)."""
    page = client.get("/login")
    token = page.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
    headers = {"x-forwarded-for": address}
    return client.post("/login", data={"csrf": token, "name": name, "password": password}, headers=headers)


async def test_three_free_attempts_then_a_delay_that_doubles(client: aioredis.Redis) -> None:
    clock = StepClock()
    throttle = LoginThrottle(client, clock)
    for _ in range(3):
        assert (await throttle.reserve("alice", "203.0.113.1")).allowed
    refused = await throttle.reserve("alice", "203.0.113.1")
    assert not refused.allowed and refused.retry_after == 2
    clock.advance(2)
    assert (await throttle.reserve("alice", "203.0.113.1")).allowed
    assert (await throttle.reserve("alice", "203.0.113.1")).retry_after == 4  # doubled
    assert (await throttle.reserve("alice", "203.0.113.2")).allowed  # another address is not delayed
    ttls = [await client.ttl(key) for key in throttle.keys("alice", "203.0.113.1")]
    assert all(ttl > 0 for ttl in ttls)  # every counter expires


async def test_the_delay_stops_growing_at_its_ceiling(client: aioredis.Redis) -> None:
    clock = StepClock()
    throttle = LoginThrottle(client, clock, max_delay=60)
    waits = []
    for _ in range(12):
        verdict = await throttle.reserve("alice", "203.0.113.1")
        while not verdict.allowed:
            waits.append(verdict.retry_after)
            clock.advance(verdict.retry_after)
            verdict = await throttle.reserve("alice", "203.0.113.1")
    assert waits[:5] == [2, 4, 8, 16, 32] and set(waits[5:]) == {60}


async def test_a_right_password_gives_the_attempt_back(client: aioredis.Redis) -> None:
    throttle = LoginThrottle(client, StepClock(), per_account=3)
    for _ in range(3):
        assert (await throttle.reserve("alice", "203.0.113.1")).allowed
    await throttle.succeeded("alice", "203.0.113.1")
    assert (await throttle.reserve("alice", "203.0.113.1")).allowed  # no delay left, the count went down


async def test_the_account_limit_spares_a_device_that_logged_in_before(client: aioredis.Redis) -> None:
    throttle = LoginThrottle(client, StepClock(), per_account=5)
    for index in range(5):  # guesses from five addresses (IPv6 rotation)
        assert (await throttle.reserve("alice", f"2001:db8::{index}")).allowed
    stranger = await throttle.reserve("alice", "2001:db8::99")
    assert not stranger.allowed and 0 < stranger.retry_after <= 15 * 60
    assert (await throttle.reserve("alice", "192.0.2.10", known_device=True)).allowed
    assert (await throttle.reserve("bob", "2001:db8::99")).allowed  # other accounts are not concerned


async def test_an_address_is_limited_across_names(client: aioredis.Redis) -> None:
    throttle = LoginThrottle(client, StepClock(), per_address=4)
    for index in range(4):
        assert (await throttle.reserve(f"user{index}", "203.0.113.1")).allowed
    assert not (await throttle.reserve("bob", "203.0.113.1", known_device=True)).allowed


async def test_parallel_wrong_guesses_cannot_pass_the_limit(console: Console) -> None:
    async with httpx.AsyncClient(base_url=console.url, timeout=30) as browser:
        page = await browser.get("/login")
        token = page.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
        form = {"csrf": token, "name": "alice", "password": "wrong password!"}
        answers = await asyncio.gather(*(browser.post("/login", data=form) for _ in range(12)))
    codes = sorted(a.status_code for a in answers)
    assert codes.count(401) == 3 and codes.count(429) == 9  # the passwords checked: the free attempts only


def test_guesses_elsewhere_never_lock_a_mediator_out(console: Console) -> None:
    with httpx.Client(base_url=console.url, timeout=10) as office:
        assert _try(office, "alice", PASSWORD, "192.0.2.10").status_code == 303  # her usual computer
        assert office.cookies.get(DEVICE_COOKIE)
    with httpx.Client(base_url=console.url, timeout=10) as outsider:
        for index in range(30):  # one wrong guess from each of 30 addresses
            assert _try(outsider, "alice", "wrong password!", f"2001:db8::{index}").status_code == 401
        assert _try(outsider, "alice", "wrong password!", "2001:db8::ff").status_code == 429
        blocked = _try(outsider, "alice", PASSWORD, "2001:db8::100")
        assert blocked.status_code == 429 and "Trop de tentatives" in blocked.text
    with httpx.Client(base_url=console.url, timeout=10) as office_again:
        office_again.cookies.set(DEVICE_COOKIE, office.cookies[DEVICE_COOKIE], path="/login")
        assert _try(office_again, "alice", PASSWORD, "192.0.2.10").status_code == 303
    with httpx.Client(base_url=console.url, timeout=10) as forged:
        forged.cookies.set(DEVICE_COOKIE, "alice.forged.signature", path="/login")
        assert _try(forged, "alice", PASSWORD, "192.0.2.11").status_code == 429


def test_a_delayed_address_gets_a_short_wait_not_a_lock(console: Console) -> None:
    with httpx.Client(base_url=console.url, timeout=10) as client:
        for _ in range(3):
            assert _try(client, "alice", "wrong password!").status_code == 401
        delayed = _try(client, "alice", PASSWORD)
        assert delayed.status_code == 429 and " s." in delayed.text  # seconds, not a quarter of an hour
        assert _try(client, "alice", PASSWORD, "198.51.100.8").status_code == 303  # from elsewhere: in
        assert _try(client, "bob", PASSWORD).status_code == 303  # other accounts are not delayed


async def test_a_right_first_password_leaves_no_counter(client: aioredis.Redis) -> None:
    throttle = LoginThrottle(client, StepClock())
    assert (await throttle.reserve("alice", "203.0.113.1")).allowed
    await throttle.succeeded("alice", "203.0.113.1")
    assert await client.keys("pimms:console:throttle:*") == []
