"""The rendered nginx site balances the webhooks over every Rasa node given (bot/ops/deploy_nginx.py)."""

from __future__ import annotations

import pytest

from bot.ops.deploy_nginx import main, render
from bot.settings import ConfigError, Settings

SETTINGS = Settings(public_base_url="https://pimms.example.org", rasa_port=5005, console_port=8080)


def test_one_machine_is_the_only_upstream_server() -> None:
    site = render(SETTINGS, "/c.pem", "/k.pem")
    assert "    server 127.0.0.1:5005 max_fails=1 fail_timeout=10s;" in site
    assert site.count("proxy_pass http://pimms_rasa;") == 5  # SMS and WhatsApp (messages, reports), Telegram
    assert "proxy_next_upstream error timeout http_502 http_503 non_idempotent;" in site


def test_every_node_is_an_upstream_server() -> None:
    site = render(SETTINGS, "/c.pem", "/k.pem", rasa_nodes=["10.0.0.21:5005", "10.0.0.22:5005"])
    assert "server 10.0.0.21:5005 max_fails=1" in site and "server 10.0.0.22:5005 max_fails=1" in site
    assert "127.0.0.1:5005" not in site


@pytest.mark.parametrize("node", ["10.0.0.21", "host;evil:5005", "10.0.0.21:port"])
def test_a_malformed_node_is_refused(node: str) -> None:
    with pytest.raises(ConfigError):
        render(SETTINGS, "/c.pem", "/k.pem", rasa_nodes=[node])


def test_the_command_takes_one_node_per_option(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://pimms.example.org")
    nodes = ["--rasa-node", "10.0.0.21:5005", "--rasa-node", "[fd00::2]:5005"]
    assert main(["--cert", "/c.pem", "--key", "/k.pem", *nodes]) == 0
    site = capsys.readouterr().out
    assert "server 10.0.0.21:5005 " in site and "server [fd00::2]:5005 " in site
