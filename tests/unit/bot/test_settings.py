"""Settings that keep the service from exposing itself (issue 22): REST beyond loopback needs REST_TOKEN (L12),
and the mediators' alerts can only go to a group, never to one person's private chat (M8)."""

from __future__ import annotations

import pytest

from bot.ops.channels_config import REST, credentials
from bot.settings import ConfigError, Settings, is_loopback
from channels.rest import PrivacyRestInput


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost"])
def test_loopback_addresses(host: str) -> None:
    assert is_loopback(host)


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.10", "10.0.0.5", "fe80::1", "pimms.lan"])  # noqa: S104
def test_addresses_other_machines_reach(host: str) -> None:
    assert not is_loopback(host)


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "::"])  # noqa: S104
def test_rest_is_off_without_its_token_when_rasa_listens_beyond_loopback(host: str) -> None:
    settings = Settings.from_env({"BIND_HOST": host})
    assert settings.deployed
    assert REST not in credentials(settings)


def test_rest_beyond_loopback_needs_the_token_and_refuses_resident_ids() -> None:
    settings = Settings.from_env({"BIND_HOST": "0.0.0.0", "REST_TOKEN": "rest-token-for-tests"})  # noqa: S104
    rest = PrivacyRestInput.from_credentials(credentials(settings)[REST])
    assert (rest.token, rest.deployed) == ("rest-token-for-tests", True)


def test_rest_stays_open_on_a_development_machine() -> None:
    settings = Settings.from_env({"BIND_HOST": "127.0.0.1"})
    assert not settings.deployed
    assert PrivacyRestInput.from_credentials(credentials(settings)[REST]).deployed is False


@pytest.mark.parametrize("chat_id", ["-1001234567890", "-4242"])
def test_the_mediator_group_id_is_negative(chat_id: str) -> None:
    assert Settings.from_env({"TELEGRAM_MEDIATOR_CHAT_ID": chat_id}).telegram.mediator_chat_id == chat_id


@pytest.mark.parametrize("chat_id", ["987654321", "+1001234567890", "@pimms_mediateurs", "-100 123", "tg-42"])
def test_a_private_chat_or_a_public_name_is_refused_for_alerts(chat_id: str) -> None:
    with pytest.raises(ConfigError, match="negative number") as error:
        Settings.from_env({"TELEGRAM_MEDIATOR_CHAT_ID": chat_id})
    assert chat_id not in str(error.value)  # the message names the variable, never the value
