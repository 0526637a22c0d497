"""SMS through Twilio's REST API with twilio's async (aiohttp) client; base URL configurable; with a public
address, each SMS asks Twilio to report its delivery (``StatusCallback``, ``bot/outbound/status.py``)."""

from __future__ import annotations

import asyncio
import logging

from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.rest import Client

from bot.phone import mask

log = logging.getLogger(__name__)


class SmsRejected(Exception):
    """Twilio answered, but with a failed message (its error code and message)."""


class TwilioRestSender:
    """``SmsSender`` over ``messages.create_async`` (one client per event loop, made lazily)."""

    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        from_number: str = "",
        messaging_service_sid: str = "",
        api_base_url: str = "",
        status_callback: str = "",
    ) -> None:
        if not (from_number or messaging_service_sid):
            raise ValueError("a from_number or a messaging_service_sid is required")
        self._sid = account_sid
        self._token = auth_token
        self._from = from_number
        self._service = messaging_service_sid
        self._base_url = api_base_url.rstrip("/")
        self._status_callback = status_callback
        self._client: Client | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def _get_client(self) -> Client:
        loop = asyncio.get_running_loop()
        if self._client is None or self._loop is not loop:
            http_client = AsyncTwilioHttpClient()
            self._client = Client(self._sid, self._token, http_client=http_client)
            if self._base_url:
                # Domain.base_url ("https://api.twilio.com") prefixes every Api request URL.
                self._client.api.base_url = self._base_url
            self._loop = loop
        return self._client

    async def send_sms(self, to: str, body: str) -> str:
        """Send one SMS and return its sid; raises ``TwilioRestException`` / ``aiohttp.ClientError`` on failure,
        ``SmsRejected`` when Twilio answers with a failed message."""
        client = self._get_client()
        kwargs = {"messaging_service_sid": self._service} if self._service else {"from_": self._from}
        if self._status_callback:  # Twilio reports delivered / undelivered there (bot/outbound/status.py)
            kwargs["status_callback"] = self._status_callback
        message = await client.messages.create_async(to=to, body=body, **kwargs)
        if message.status in ("failed", "undelivered") or message.error_code:
            raise SmsRejected(f"{message.status} code {message.error_code}: {message.error_message or ''}".strip())
        log.info("sms sent to %s sid=%s", mask(to), message.sid)
        return str(message.sid or "")

    async def close(self) -> None:
        """Close the HTTP session of the current client."""
        if self._client is not None:
            http_client = self._client.http_client
            if isinstance(http_client, AsyncTwilioHttpClient):
                await http_client.close()
            self._client = None
