"""The reverse proxy's console limits (reviews M5, M6, L2): floods of guessed references or logins get 429 from
nginx before they reach the console, and the secret iCal URL never enters the access log.

Debian's nginx runs the rendered template on loopback ports, as in test_deploy_nginx.py (started by
tests/integration/nginx_proxy.py).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from bot.ops.deploy_nginx import render
from bot.ops.processes import free_port
from bot.settings import Settings
from tests.integration.nginx_proxy import require_nginx, running_nginx, self_signed
from tests.integration.test_deploy_nginx import Backend


@dataclass
class LimitedProxy:
    """nginx in front of a recording console, with its access log."""

    https: str
    cert: Path
    console: Backend
    access_log: Path


@pytest.fixture
def limited(tmp_path: Path) -> Iterator[LimitedProxy]:
    require_nginx()
    tmp_path.chmod(0o755)
    cert, key = self_signed(tmp_path)
    rasa, console = Backend("rasa").start(), Backend("console").start()
    http_port, https_port = free_port(), free_port()
    settings = Settings(
        public_base_url=f"https://pimms.test:{https_port}", rasa_port=rasa.port, console_port=console.port
    )
    site = render(settings, str(cert), str(key), http_port, https_port)
    try:
        with running_nginx(tmp_path, site, https_port, connections=64):
            yield LimitedProxy(f"https://127.0.0.1:{https_port}", cert, console, tmp_path / "access.log")
    finally:
        rasa.stop()
        console.stop()


def _client(proxy: LimitedProxy) -> httpx.Client:
    return httpx.Client(base_url=proxy.https, verify=str(proxy.cert), timeout=10)


def test_a_flood_of_guessed_references_stops_at_the_proxy(limited: LimitedProxy) -> None:
    with _client(limited) as client:
        codes = [client.get(f"/c/r{index:024x}").status_code for index in range(120)]
    assert codes[0] == 200 and codes.count(429) > 40  # the burst passes, then 10 per second
    assert len(limited.console.hits) < 100


def test_login_attempts_are_limited_per_address(limited: LimitedProxy) -> None:
    with _client(limited) as client:
        codes = [client.post("/login", data={"name": "alice", "password": "x"}).status_code for _ in range(30)]
    assert codes.count(429) >= 15 and len(limited.console.hits) <= 15


def test_the_ical_feed_is_not_in_the_access_log(limited: LimitedProxy) -> None:
    with _client(limited) as client:
        assert client.get("/agenda/ics/lyon8/secret-token-1234.ics").json()["backend"] == "console"
        assert client.get("/agenda").json()["backend"] == "console"
    time.sleep(0.2)  # nginx writes its log line after the answer
    log = limited.access_log.read_text()
    assert "GET /agenda " in log and "secret-token-1234" not in log
