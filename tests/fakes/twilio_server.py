"""Fake Twilio REST API: POST /2010-04-01/Accounts/{sid}/Messages.json (form, basic auth)."""

from __future__ import annotations

import base64
import re
import uuid
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler
from urllib.error import HTTPError
from urllib.parse import parse_qsl, urlencode, urlsplit
from urllib.request import Request, urlopen

from twilio.request_validator import RequestValidator

from tests.fakes.base import RecordingServer

_MESSAGES = re.compile(r"^/2010-04-01/Accounts/(?P<sid>[^/]+)/Messages\.json$")


# Long enough for the stack's secret check (bot/security/secrets_check.py).
AUTH_TOKEN = "twilio-auth-Pk9rE4tYu7"


class FakeTwilio(RecordingServer):
    """Records each message as ``{"To", "From", "MessagingServiceSid", "Body"}`` in order."""

    def __init__(self, account_sid: str = "ACtest00000000000000000000000000", auth_token: str = AUTH_TOKEN):
        super().__init__()
        self.account_sid = account_sid
        self.auth_token = auth_token

    def bodies_to(self, number: str) -> list[str]:
        """Bodies sent to one number, in order."""
        return [m["Body"] for m in self.messages if m.get("To") == number]

    def sent(self) -> list[dict[str, str]]:
        """Every message created, as ``{"sid", "To", "Body", "StatusCallback"...}``, in order."""
        return [{"sid": c["sid"], **c["params"]} for c in self.calls if c.get("method") == "Messages.create"]

    def report_status(self, sid: str, status: str, reach: str, error_code: str = "") -> int:
        """What Twilio does when the operator reports on message ``sid``: a signed POST to its StatusCallback.

        The callback names the public address (it is what Twilio signs); ``reach`` is the local base URL that
        stands for it here (the proxy in front of the assistant). Returns the HTTP status of the answer.
        """
        message = next(m for m in self.sent() if m["sid"] == sid)
        callback = message["StatusCallback"]
        form = {"MessageSid": sid, "SmsSid": sid, "AccountSid": self.account_sid, "To": message["To"]}
        form.update({"From": message.get("From", ""), "MessageStatus": status, "SmsStatus": status})
        form["ApiVersion"] = "2010-04-01"
        if error_code:
            form["ErrorCode"] = error_code
        signature = RequestValidator(self.auth_token).compute_signature(callback, form)
        path = urlsplit(callback).path
        request = Request(reach.rstrip("/") + path, data=urlencode(form).encode(), method="POST")
        request.add_header("X-Twilio-Signature", signature)
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
        try:
            with urlopen(request, timeout=10) as answer:  # noqa: S310 (a local test server)
                return int(answer.status)
        except HTTPError as exc:
            return int(exc.code)

    def _dispatch(self, handler: BaseHTTPRequestHandler) -> None:
        match = _MESSAGES.match(handler.path.split("?", 1)[0])
        if handler.command != "POST" or not match:
            self.reply(
                handler,
                404,
                {"code": 20404, "message": "The requested resource was not found", "status": 404},
            )
            return
        expected = base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        if handler.headers.get("Authorization") != f"Basic {expected}" or match["sid"] != self.account_sid:
            self.reply(handler, 401, {"code": 20003, "message": "Authenticate", "status": 401})
            return
        length = int(handler.headers.get("Content-Length") or 0)
        form = dict(parse_qsl(handler.rfile.read(length).decode(), keep_blank_values=True))
        if self.take_failure():
            self.record(None, {"failed": self.fail_status, "To": form.get("To")})
            status = self.fail_status
            self.reply(handler, status, {"code": 20000 + status, "message": "Internal Server Error", "status": status})
            return
        if not form.get("To") or not (form.get("From") or form.get("MessagingServiceSid")) or not form.get("Body"):
            self.reply(handler, 400, {"code": 21604, "message": "A 'To' and 'Body' are required", "status": 400})
            return
        sid = "SM" + uuid.uuid4().hex
        now = datetime.now(timezone.utc).strftime("%a, %d %b %Y %H:%M:%S +0000")
        self.record(form, {"method": "Messages.create", "params": form, "sid": sid})
        self.reply(
            handler,
            201,
            {
                "sid": sid,
                "account_sid": self.account_sid,
                "to": form["To"],
                "from": form.get("From"),
                "messaging_service_sid": form.get("MessagingServiceSid"),
                "body": form["Body"],
                "status": "queued",
                "num_segments": "1",
                "num_media": "0",
                "direction": "outbound-api",
                "api_version": "2010-04-01",
                "price": None,
                "price_unit": "EUR",
                "error_code": None,
                "error_message": None,
                "date_created": now,
                "date_updated": now,
                "date_sent": None,
                "uri": f"/2010-04-01/Accounts/{self.account_sid}/Messages/{sid}.json",
                "subresource_uris": {},
            },
        )
