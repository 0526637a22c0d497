"""The key registry (bot/privacy/keys.yml) read by bot/privacy/keys.py."""

from __future__ import annotations

from bot.privacy.keys import PRIVACY_PREFIX, SENDER_MEMBERS, SENDER_POINTERS, TRACKER_KEY, Retention, registry, spec_for


def test_every_pattern_is_registered_once_with_what_it_holds() -> None:
    patterns = [spec.pattern for spec in registry()]
    assert len(patterns) == len(set(patterns))
    assert all(spec.holds for spec in registry())
    assert all(spec.why for spec in registry() if spec.retention == Retention.KEPT)


def test_keys_named_in_the_code_are_registered() -> None:
    assert spec_for(TRACKER_KEY.replace("{sender}", "sms-33612345678")).retention == Retention.ACTIVITY
    assert spec_for(PRIVACY_PREFIX + "confirm:tg-42").retention == Retention.SHORT
    for member in SENDER_MEMBERS:
        assert spec_for(member.key) is not None, member.key
    for pointer in SENDER_POINTERS:
        assert spec_for(pointer.pointer.replace("{sender}", "tg-42")) is not None
        assert spec_for(pointer.target.replace("{value}", "abc")) is not None
