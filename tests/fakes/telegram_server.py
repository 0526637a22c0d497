"""Fake Telegram Bot API at /bot<token>/<method> (JSON or form bodies)."""

from __future__ import annotations

import itertools
import json
import time
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qsl

from tests.fakes.base import RecordingServer

BOT_USER = {"id": 123456, "is_bot": True, "first_name": "PIMMS", "username": "pimms_test_bot"}


def _decode(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


class FakeTelegram(RecordingServer):
    """Records sendMessage calls as ``{"chat_id", "text", "reply_markup"}``; all calls in ``calls``."""

    def __init__(self, token: str = "123456:TEST-token") -> None:
        super().__init__()
        self.token = token
        self.webhook: dict[str, Any] = {}
        self._ids = itertools.count(1)

    def _dispatch(self, handler: BaseHTTPRequestHandler) -> None:
        path = handler.path.split("?", 1)[0]
        prefix = f"/bot{self.token}/"
        if not path.startswith("/bot"):
            self.reply(handler, 404, {"ok": False, "error_code": 404, "description": "Not Found"})
            return
        if not path.startswith(prefix):
            self.reply(handler, 401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
            return
        method = path[len(prefix) :]
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length).decode() if length else ""
        if "json" in (handler.headers.get("Content-Type") or ""):
            params = json.loads(raw or "{}")
        else:
            params = {k: _decode(v) for k, v in parse_qsl(raw, keep_blank_values=True)}
        if self.take_failure():
            self.record(None, {"method": method, "params": params, "failed": self.fail_status})
            if self.fail_status == 429:
                self.reply(
                    handler,
                    429,
                    {
                        "ok": False,
                        "error_code": 429,
                        "description": f"Too Many Requests: retry after {self.retry_after}",
                        "parameters": {"retry_after": self.retry_after},
                    },
                )
                return
            status = self.fail_status
            self.reply(handler, status, {"ok": False, "error_code": status, "description": "Internal Server Error"})
            return
        result = self._result(method, params)
        if result is None:
            self.reply(handler, 404, {"ok": False, "error_code": 404, "description": "Not Found: method not found"})
            return
        message = None
        if method == "sendMessage":
            message = {
                "chat_id": params.get("chat_id"),
                "text": params.get("text"),
                "reply_markup": params.get("reply_markup"),
            }
        self.record(message, {"method": method, "params": params})
        self.reply(handler, 200, {"ok": True, "result": result})

    def _result(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return BOT_USER
        if method == "setWebhook":
            self.webhook = {"url": params.get("url", ""), "secret_token": params.get("secret_token")}
            return True
        if method == "deleteWebhook":
            self.webhook = {}
            return True
        if method == "getWebhookInfo":
            return {
                "url": self.webhook.get("url", ""),
                "has_custom_certificate": False,
                "pending_update_count": 0,
            }
        if method == "answerCallbackQuery":
            return True
        if method in ("sendMessage", "editMessageReplyMarkup"):
            chat_id = int(params.get("chat_id") or 0)
            result: dict[str, Any] = {
                "message_id": int(params.get("message_id") or next(self._ids)),
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"},
                "from": BOT_USER,
                "text": params.get("text", ""),
            }
            if params.get("reply_markup"):
                result["reply_markup"] = params["reply_markup"]
            return result
        return None
