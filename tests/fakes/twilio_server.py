"""Fake Twilio REST API: POST /2010-04-01/Accounts/{sid}/Messages.json (form, basic auth).

It speaks WhatsApp as Twilio does: ``whatsapp:+<E.164>`` addresses, ``ContentSid`` / ``ContentVariables`` for
approved templates, and the 24-hour customer-service window: a free-form WhatsApp message (``Body``) to a
person whose last message (``send_whatsapp``, or ``whatsapp_inbound``) is more than 24 hours old on the fake's
``clock`` is accepted (201 ``queued``), then reported ``failed`` with error 63016 to its StatusCallback.
"""

from __future__ import annotations

import base64
import json
import re
import threading
import time
import uuid
from collections.abc import Callable
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
WHATSAPP = "whatsapp:"
WINDOW_SECONDS = 24 * 3600
OUTSIDE_WINDOW = "63016"  # Failed to send freeform message because you are outside the allowed window


class FakeTwilio(RecordingServer):
    """Records each message as ``{"To", "From", "MessagingServiceSid", "Body"}`` in order."""

    def __init__(self, account_sid: str = "ACtest00000000000000000000000000", auth_token: str = AUTH_TOKEN):
        super().__init__()
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.clock: Callable[[], float] = time.time  # the stack's clock in stack tests (stack.clock.epoch)
        self.whatsapp_inbound: dict[str, float] = {}  # "whatsapp:+33..." -> moment of the person's last message
        self.reach = ""  # local base URL standing for the public address in StatusCallback (empty: the same)

    def clear(self) -> None:
        """Forget recorded messages, calls and WhatsApp windows."""
        super().clear()
        self.whatsapp_inbound.clear()

    def bodies_to(self, number: str) -> list[str]:
        """Bodies sent to one number (``+33...`` or ``whatsapp:+33...``), in order."""
        return [m.get("Body", "") for m in self.messages if m.get("To") == number]

    def templates_to(self, number: str) -> list[tuple[str, dict[str, str]]]:
        """Templates sent to one WhatsApp address: ``(ContentSid, variables)``, in order."""
        return [
            (m["ContentSid"], json.loads(m.get("ContentVariables") or "{}"))
            for m in self.messages
            if m.get("To") == number and m.get("ContentSid")
        ]

    def send_whatsapp(self, url: str, form: dict[str, str], public_url: str = "") -> int:
        """What Twilio does when a person writes on WhatsApp: a signed POST of ``form`` to the webhook at ``url``
        (signed for ``public_url``, default ``url``); the person's window opens. The HTTP status of the answer."""
        self.whatsapp_inbound[form["From"]] = self.clock()
        return self._post_signed(public_url or url, url, form)

    def _post_signed(self, signed_url: str, url: str, form: dict[str, str]) -> int:
        signature = RequestValidator(self.auth_token).compute_signature(signed_url, form)
        request = Request(url, data=urlencode(form).encode(), method="POST")
        request.add_header("X-Twilio-Signature", signature)
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
        try:
            with urlopen(request, timeout=10) as answer:  # noqa: S310 (a local test server)
                return int(answer.status)
        except HTTPError as exc:
            return int(exc.code)

    def _report_window_error(self, sid: str) -> None:
        """Twilio's later report of a free-form message sent outside the window (recorded if it cannot land)."""
        try:
            status = self.report_status(sid, "failed", self.reach, OUTSIDE_WINDOW)
        except OSError as exc:
            status = 0
            self.record(None, {"report_failed": sid, "error": type(exc).__name__})
        self.record(None, {"reported": sid, "status": "failed", "code": OUTSIDE_WINDOW, "answer": status})

    def _outside_window(self, form: dict[str, str]) -> bool:
        """A free-form WhatsApp message more than 24 hours after the person's last message."""
        if not form.get("To", "").startswith(WHATSAPP) or form.get("ContentSid"):
            return False
        last = self.whatsapp_inbound.get(form["To"])
        return last is None or self.clock() - last > WINDOW_SECONDS

    def sent(self) -> list[dict[str, str]]:
        """Every message created, as ``{"sid", "To", "Body", "StatusCallback"...}``, in order."""
        return [{"sid": c["sid"], **c["params"]} for c in self.calls if c.get("method") == "Messages.create"]

    def report_status(self, sid: str, status: str, reach: str = "", error_code: str = "") -> int:
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
        target = reach.rstrip("/") + urlsplit(callback).path if reach else callback
        return self._post_signed(callback, target, form)

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
        if not form.get("To") or not (form.get("From") or form.get("MessagingServiceSid")):
            self.reply(handler, 400, {"code": 21604, "message": "A 'To' and 'Body' are required", "status": 400})
            return
        if not (form.get("Body") or form.get("ContentSid")):
            self.reply(handler, 400, {"code": 21619, "message": "A text message body is required", "status": 400})
            return
        if form["To"].startswith(WHATSAPP) != form.get("From", WHATSAPP).startswith(WHATSAPP):
            self.reply(handler, 400, {"code": 63007, "message": "Channel could not find a From address", "status": 400})
            return
        sid = ("MM" if form["To"].startswith(WHATSAPP) else "SM") + uuid.uuid4().hex
        now = datetime.now(timezone.utc).strftime("%a, %d %b %Y %H:%M:%S +0000")
        self.record(form, {"method": "Messages.create", "params": form, "sid": sid})
        if self._outside_window(form) and form.get("StatusCallback"):  # accepted, then failed (as Twilio does)
            later = threading.Timer(0.2, self._report_window_error, (sid,))
            later.daemon = True
            later.start()
        self.reply(
            handler,
            201,
            {
                "sid": sid,
                "account_sid": self.account_sid,
                "to": form["To"],
                "from": form.get("From"),
                "messaging_service_sid": form.get("MessagingServiceSid"),
                "body": form.get("Body", ""),
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
