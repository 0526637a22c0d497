"""WhatsApp's settings: on with TWILIO_WHATSAPP_FROM beside the SMS account, content ids carried whole to the
channel through the generated credentials file, half configurations refused."""

from __future__ import annotations

import pytest

from bot.ops.channels_config import SMS, WHATSAPP, credentials
from bot.settings import ConfigError, Settings

ACCOUNT = {"TWILIO_ACCOUNT_SID": "ACtest00000000000000000000000000", "TWILIO_AUTH_TOKEN": "twilio-auth-Pk9rE4tYu7"}
PUBLIC = {"PUBLIC_BASE_URL": "https://pimms.example.org"}


def test_whatsapp_alone_is_on_without_the_sms_number_and_keeps_its_content_ids() -> None:
    env = {**ACCOUNT, **PUBLIC, "TWILIO_WHATSAPP_FROM": "whatsapp:+14155238886"}
    env["TWILIO_WHATSAPP_CONTENT_FOLLOW_UP"] = "HX" + "2" * 32
    settings = Settings.from_env(env)
    assert settings.twilio.whatsapp_enabled and not settings.twilio.enabled
    creds = credentials(settings)
    assert WHATSAPP in creds and SMS not in creds
    carried = Settings.from_dict(creds[WHATSAPP]["settings"])
    assert carried.twilio.whatsapp_content_sids == {"TWILIO_WHATSAPP_CONTENT_FOLLOW_UP": "HX" + "2" * 32}


def test_a_bare_number_gets_the_whatsapp_prefix_and_a_wrong_one_is_refused() -> None:
    assert Settings.from_env({"TWILIO_WHATSAPP_FROM": "+14155238886"}).twilio.whatsapp_from == "whatsapp:+14155238886"
    with pytest.raises(ConfigError):
        Settings.from_env({"TWILIO_WHATSAPP_FROM": "whatsapp:0612"})


def test_a_whatsapp_sender_without_the_account_or_the_public_address_is_half_configured() -> None:
    with pytest.raises(ConfigError, match="TWILIO_ACCOUNT_SID"):
        credentials(Settings.from_env({**PUBLIC, "TWILIO_WHATSAPP_FROM": "whatsapp:+14155238886"}))
    with pytest.raises(ConfigError, match="PUBLIC_BASE_URL"):
        credentials(Settings.from_env({**ACCOUNT, "TWILIO_WHATSAPP_FROM": "whatsapp:+14155238886"}))
