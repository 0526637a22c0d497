"""Rasa's REST channel (``/webhooks/rest/webhook``) with the privacy gate in front of the assistant."""

from __future__ import annotations

from typing import Any

from rasa.core.channels.channel import InputChannel
from rasa.core.channels.rest import RestInput
from sanic import Blueprint

from bot.outbound import build_outbound
from bot.privacy.gate import PrivacyGate
from bot.settings import Settings
from channels.common import OnNewMessage, Runtime
from channels.privacy import build_gate, collector_send, guarded


class PrivacyRestInput(RestInput):
    """Same URL and wire format as Rasa's REST channel; EFFACER / MES DONNEES answered before Rasa."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings.from_env()
        self.runtime = Runtime(self.settings.redis_url, lambda client: build_outbound(self.settings, client))
        self._gate: PrivacyGate | None = None

    @classmethod
    def name(cls) -> str:
        """URL prefix and ``input_channel``: the standard ``rest``."""
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        """No credentials: configuration comes from ``Settings.from_env()``."""
        return cls()

    def privacy_gate(self) -> PrivacyGate:
        """The gate on the running loop's Redis client (no first-contact notice on REST)."""
        redis = self.runtime.redis
        if self._gate is None or self._gate.redis is not redis:
            self._gate = build_gate(self.settings, redis, notice=False)
        return self._gate

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        """Rasa's REST routes around the gated ``on_new_message``."""
        routes: Blueprint = super().blueprint(guarded(on_new_message, self.privacy_gate, collector_send))
        return routes
