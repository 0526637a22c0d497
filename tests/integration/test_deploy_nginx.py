"""docs/deploy.md's reverse proxy, tested: Debian's nginx started from the rendered configuration on loopback
ports with a self-signed certificate, in front of two recording backends standing for Rasa and the console.

Only the SMS and Telegram webhooks reach Rasa, the console gets the rest, Rasa's API and the REST/callback
channels are 404 without reaching anything, plain HTTP is redirected, HTTPS carries HSTS (issue 9, finding 3).
Let's Encrypt's HTTP-01 challenge files are served over plain HTTP from the webroot, so renewals work (issue 22, H3).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.ops.deploy_nginx import render
from bot.ops.processes import free_port
from bot.settings import Settings
from tests.integration.nginx_proxy import require_nginx, running_nginx, self_signed


@dataclass
class Backend:
    """An HTTP server recording every request it receives."""

    name: str
    hits: list[dict[str, Any]] = field(default_factory=list)

    def start(self) -> Backend:
        backend = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                hit = {"path": self.path, "proto": self.headers.get("X-Forwarded-Proto"), "method": self.command}
                backend.hits.append(hit)
                body = json.dumps({"backend": backend.name, **hit}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _answer  # noqa: N815 (http.server API)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@dataclass
class Proxy:
    https: str
    http: str
    cert: Path
    rasa: Backend
    console: Backend
    webroot: Path


@pytest.fixture(scope="module")
def proxy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Proxy]:
    require_nginx()
    tmp = tmp_path_factory.mktemp("nginx")
    tmp.chmod(0o755)
    cert, key = self_signed(tmp)
    rasa, console = Backend("rasa").start(), Backend("console").start()
    http_port, https_port = free_port(), free_port()
    settings = Settings(
        public_base_url=f"https://pimms.test:{https_port}", rasa_port=rasa.port, console_port=console.port
    )
    webroot = tmp / "acme"
    webroot.mkdir(mode=0o755)
    site = render(settings, str(cert), str(key), http_port, https_port, str(webroot))
    with running_nginx(tmp, site, https_port, connections=64):
        yield Proxy(f"https://127.0.0.1:{https_port}", f"http://127.0.0.1:{http_port}", cert, rasa, console, webroot)
    rasa.stop()
    console.stop()


def _client(proxy: Proxy) -> httpx.Client:
    return httpx.Client(base_url=proxy.https, verify=str(proxy.cert), timeout=10, follow_redirects=False)


@pytest.mark.parametrize(
    "path",
    [
        "/webhooks/sms/webhook",
        "/webhooks/sms/status",
        "/webhooks/whatsapp/webhook",
        "/webhooks/whatsapp/status",
        "/webhooks/telegram/webhook",
    ],
)
def test_the_webhooks_reach_rasa_over_https(proxy: Proxy, path: str) -> None:
    with _client(proxy) as client:
        response = client.post(path, content=b"Body=bonjour")
    assert response.json() == {"backend": "rasa", "path": path, "proto": "https", "method": "POST"}
    assert response.headers["strict-transport-security"].startswith("max-age=")


@pytest.mark.parametrize(
    "path", ["/", "/login", "/c/r0123456789abcdef01234567", "/events/queue", "/static/console.css"]
)
def test_the_console_gets_its_pages(proxy: Proxy, path: str) -> None:
    with _client(proxy) as client:
        assert client.get(path).json()["backend"] == "console"


@pytest.mark.parametrize(
    "path",
    [
        "/webhooks/rest/webhook",
        "/webhooks/callback/webhook",
        "/webhooks/sms/webhook/extra",
        "/webhooks/sms/status/extra",
        "/conversations/sms-33612345678/tracker",
        "/conversations/sms-33612345678/tracker/events",
        "/model",
        "/status",
        "/webhook",
        "/health",
    ],
)
def test_everything_else_is_404_and_reaches_nothing(proxy: Proxy, path: str) -> None:
    before = len(proxy.rasa.hits) + len(proxy.console.hits)
    with _client(proxy) as client:
        assert client.post(path, json={"sender": "sms-33612345678", "message": "annuler"}).status_code == 404
        assert client.get(path).status_code == 404
    assert len(proxy.rasa.hits) + len(proxy.console.hits) == before


def test_plain_http_is_redirected_to_https(proxy: Proxy) -> None:
    response = httpx.get(proxy.http + "/webhooks/sms/webhook", timeout=10)
    assert response.status_code == 301 and response.headers["location"].startswith("https://")


@pytest.mark.parametrize("path", ["/", "/login", "/.well-known/other", "/webhooks/sms/webhook"])
def test_every_other_plain_http_path_is_redirected(proxy: Proxy, path: str) -> None:
    response = httpx.get(proxy.http + path, timeout=10)
    assert response.status_code == 301
    assert response.headers["location"].startswith("https://") and response.headers["location"].endswith(path)


def test_acme_challenges_are_served_over_plain_http_for_renewals(proxy: Proxy) -> None:
    # What certbot --webroot does: write a token file, Let's Encrypt fetches it over HTTP on port 80.
    challenge = proxy.webroot / ".well-known" / "acme-challenge"
    challenge.mkdir(parents=True, exist_ok=True)
    for folder in (proxy.webroot / ".well-known", challenge):
        folder.chmod(0o755)
    token = "Xq3Ly0n9-kT_4bZ"
    (challenge / token).write_text("Xq3Ly0n9-kT_4bZ.thumbprint", encoding="utf-8")
    (challenge / token).chmod(0o644)
    before = len(proxy.rasa.hits) + len(proxy.console.hits)
    response = httpx.get(f"{proxy.http}/.well-known/acme-challenge/{token}", timeout=10, follow_redirects=False)
    assert response.status_code == 200
    assert response.text == "Xq3Ly0n9-kT_4bZ.thumbprint"
    missing = httpx.get(f"{proxy.http}/.well-known/acme-challenge/unknown", timeout=10, follow_redirects=False)
    assert missing.status_code == 404
    assert len(proxy.rasa.hits) + len(proxy.console.hits) == before


def test_huge_bodies_are_refused_by_the_proxy(proxy: Proxy) -> None:
    before = len(proxy.rasa.hits)
    with _client(proxy) as client:
        assert client.post("/webhooks/sms/webhook", content=b"x" * 200_000).status_code == 413
    assert len(proxy.rasa.hits) == before
