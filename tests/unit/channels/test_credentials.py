"""One path for configuration: environment -> Settings -> generated credentials file -> the channels.

The channels rebuild the very settings the stack read (``Settings.as_dict`` / ``from_dict``); they never read
the environment again, so a variable changed after the file was written has no effect on them.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from rasa.shared.exceptions import RasaException
from rasa.utils.endpoints import EndpointConfig

from bot.ops.channels_config import CALLBACK, REST, SMS, TELEGRAM, credentials, describe
from bot.ops.endpoints_config import ACTIVITY_BROKER_TYPE, generated_endpoints
from bot.settings import ConfigError, Settings
from channels.rest import PrivacyCallbackInput, PrivacyRestInput
from channels.telegram import TelegramInput
from channels.twilio_sms import TwilioSmsInput
from stores.event_broker import ActivityEventBroker

ENV = {
    "REDIS_URL": "redis://127.0.0.1:6390/3",
    "PIMMS_DATA_DIR": "/srv/pimms/var",
    "PIMMS_SITES_FILE": "/srv/pimms/sites.yml",
    "PUBLIC_BASE_URL": "https://pimms.example.org/",
    "REST_TOKEN": "rest-token-for-tests",
    "PRIVACY_NOTICE": "no",
    "SMS_MAX_MESSAGES": "3",
    "SMS_BURST_WINDOW": "1.5",
    "DAILY_OUTBOUND_CAP": "12",
    "TWILIO_ACCOUNT_SID": "AC" + "1" * 32,
    "TWILIO_AUTH_TOKEN": "twilio-auth-token",
    "TWILIO_MESSAGING_SERVICE_SID": "MG" + "2" * 32,
    "TWILIO_API_BASE_URL": "http://127.0.0.1:9999/",
    "TELEGRAM_BOT_TOKEN": "123:telegram-token",
    "TELEGRAM_WEBHOOK_SECRET": "telegram-secret",
    "TELEGRAM_MEDIATOR_CHAT_ID": "-100200",
    "CALLBACK_URL": "http://127.0.0.1:9998/bot",
    "CONSOLE_SECRET": "console-secret-for-tests",
    "ACTION_TOKEN": "action-token-for-tests",
    "RASA_TOKEN": "rasa-token-for-tests",
}


def written(settings: Settings) -> dict[str, dict[str, object]]:
    """The credentials file as the stack writes it and Rasa reads it back."""
    return yaml.safe_load(yaml.safe_dump(credentials(settings), sort_keys=False))


def test_settings_survive_the_credentials_file() -> None:
    settings = Settings.from_env(ENV)
    assert Settings.from_dict(yaml.safe_load(yaml.safe_dump(settings.as_dict()))) == settings
    assert settings.data_dir == Path("/srv/pimms/var") and settings.twilio.api_base_url == "http://127.0.0.1:9999"


def test_unknown_settings_are_refused_and_missing_ones_default() -> None:
    with pytest.raises(ConfigError, match="colour"):
        Settings.from_dict({"colour": "blue"})
    assert Settings.from_dict({}) == Settings()


def test_every_channel_gets_the_settings_the_stack_read(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = Settings.from_env(ENV)
    creds = written(settings)
    assert list(creds) == [REST, SMS, TELEGRAM, CALLBACK]
    # Changed after the file was written: the channels must not see it.
    monkeypatch.setenv("REDIS_URL", "redis://elsewhere:6379/0")
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", "another-token")
    monkeypatch.setenv("REST_TOKEN", "")
    sms, telegram = TwilioSmsInput.from_credentials(creds[SMS]), TelegramInput.from_credentials(creds[TELEGRAM])
    rest, callback = (
        PrivacyRestInput.from_credentials(creds[REST]),
        PrivacyCallbackInput.from_credentials(creds[CALLBACK]),
    )
    assert isinstance(sms, TwilioSmsInput) and isinstance(telegram, TelegramInput)
    assert isinstance(rest, PrivacyRestInput) and isinstance(callback, PrivacyCallbackInput)
    seen = replace(settings, console_secret="", action_token="")  # secrets no channel uses stay out of the file
    assert sms.settings == telegram.settings == rest.settings == callback.settings == seen
    assert "console-secret-for-tests" not in str(creds) and "action-token-for-tests" not in str(creds)
    assert sms.settings.rasa_token == "rasa-token-for-tests"  # paused turns are recorded through Rasa's API
    assert (rest.token, rest.deployed) == ("rest-token-for-tests", True)
    assert callback.callback_endpoint.url == "http://127.0.0.1:9998/bot"


def test_only_rest_on_a_development_machine() -> None:
    creds = written(Settings.from_env({}))
    assert list(creds) == [REST]
    assert PrivacyRestInput.from_credentials(creds[REST]).token == ""
    assert describe(creds) == ["REST      /webhooks/rest/webhook"]


def test_deployment_without_rest_token_has_no_rest_channel() -> None:
    env = {k: v for k, v in ENV.items() if k != "REST_TOKEN"}
    assert REST not in written(Settings.from_env(env))
    assert describe(written(Settings.from_env(ENV)))[0].endswith("(Authorization: Bearer REST_TOKEN)")


@pytest.mark.parametrize(
    ("env", "missing"),
    [
        (
            {"TWILIO_ACCOUNT_SID": "AC1"},
            "TWILIO_AUTH_TOKEN, TWILIO_FROM_NUMBER or TWILIO_MESSAGING_SERVICE_SID, PUBLIC_BASE_URL",
        ),
        (
            {"TWILIO_ACCOUNT_SID": "AC1", "TWILIO_AUTH_TOKEN": "t", "TWILIO_FROM_NUMBER": "+33700000000"},
            "PUBLIC_BASE_URL",
        ),
        ({"TELEGRAM_WEBHOOK_SECRET": "s"}, "TELEGRAM_BOT_TOKEN"),
    ],
)
def test_half_configured_channels_are_refused(env: dict[str, str], missing: str) -> None:
    with pytest.raises(ConfigError, match=f"missing {missing}$"):
        credentials(Settings.from_env(env))


def test_a_channel_whose_settings_do_not_configure_it_is_refused() -> None:
    with pytest.raises(RasaException):
        TelegramInput.from_credentials(None)
    with pytest.raises(RasaException):
        TwilioSmsInput.from_credentials({"settings": Settings().as_dict()})
    twilio_only = {k: v for k, v in ENV.items() if k != "PUBLIC_BASE_URL"}
    with pytest.raises(ValueError, match="PUBLIC_BASE_URL"):
        TwilioSmsInput.from_credentials({"settings": Settings.from_env(twilio_only).as_dict()})


async def test_the_activity_broker_gets_its_settings_from_the_generated_endpoints(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings = Settings.from_env({"REDIS_URL": "redis://127.0.0.1:6390/3", "ACTIVITY_RETENTION_DAYS": "400"})
    base = {"event_broker": {"type": ACTIVITY_BROKER_TYPE}}
    written = yaml.safe_load(yaml.safe_dump(generated_endpoints(base, settings)))
    monkeypatch.setenv("REDIS_URL", "redis://elsewhere:6379/0")  # not read by the broker
    broker = await ActivityEventBroker.from_endpoint_config(EndpointConfig.from_dict(written["event_broker"]))
    connection = broker.activity.redis.connection_pool.connection_kwargs
    assert (connection["host"], connection["port"], connection["db"]) == ("127.0.0.1", 6390, 3)
    assert broker.activity.retention_days == 400
    await broker.close()


def test_another_event_broker_is_kept_as_written() -> None:
    base = {"event_broker": {"type": "pika", "url": "amqp.example.org"}, "models": {"url": "x"}}
    generated = generated_endpoints(base, Settings())
    assert generated["event_broker"] == base["event_broker"] and generated["models"] == base["models"]
    assert "tracker_store" in generated and "lock_store" in generated
