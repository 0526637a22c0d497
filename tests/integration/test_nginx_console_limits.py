"""The reverse proxy's console limits (reviews M5, M6, L2): floods of guessed references or logins get 429 from
nginx before they reach the console, and the secret iCal URL never enters the access log.

Debian's nginx runs the rendered template on loopback ports, as in test_deploy_nginx.py (whose helpers it uses).
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from bot.ops.deploy_nginx import render
from bot.ops.processes import free_port
from bot.settings import Settings
from tests.integration.test_deploy_nginx import NGINX, Backend, _self_signed


@dataclass
class LimitedProxy:
    """nginx in front of a recording console, with its access log."""

    https: str
    cert: Path
    console: Backend
    access_log: Path


@pytest.fixture
def limited(tmp_path: Path) -> Iterator[LimitedProxy]:
    if not NGINX:
        pytest.skip("nginx is not installed")
    tmp_path.chmod(0o755)
    cert, key = _self_signed(tmp_path)
    rasa, console = Backend("rasa").start(), Backend("console").start()
    http_port, https_port = free_port(), free_port()
    settings = Settings(
        public_base_url=f"https://pimms.test:{https_port}", rasa_port=rasa.port, console_port=console.port
    )
    site = tmp_path / "pimms.conf"
    site.write_text(render(settings, str(cert), str(key), http_port, https_port), encoding="utf-8")
    user = "user root;\n" if os.geteuid() == 0 else ""
    temp = " ".join(f"{k}_temp_path {tmp_path / k};" for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    log = tmp_path / "access.log"
    (tmp_path / "nginx.conf").write_text(
        f"{user}worker_processes 1;\npid {tmp_path / 'nginx.pid'};\nerror_log {tmp_path / 'error.log'};\n"
        f"daemon off;\nevents {{ worker_connections 64; }}\nhttp {{ access_log {log}; {temp} include {site}; }}\n",
        encoding="utf-8",
    )
    process = subprocess.Popen([NGINX, "-c", str(tmp_path / "nginx.conf"), "-p", str(tmp_path)])
    deadline = time.monotonic() + 15
    while True:
        try:
            socket.create_connection(("127.0.0.1", https_port), timeout=0.5).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError((tmp_path / "error.log").read_text()) from None
            time.sleep(0.1)
    yield LimitedProxy(f"https://127.0.0.1:{https_port}", cert, console, log)
    process.terminate()
    process.wait(timeout=10)
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
