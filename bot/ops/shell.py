"""`make shell`: chat with the assistant in the terminal, through the real stack and its REST channel."""

from __future__ import annotations

import json
import os
import secrets
import sys
import urllib.request
from typing import Any

from bot.ops.processes import free_port_str
from bot.ops.stack import Stack
from bot.ops.training import model_path
from bot.settings import PROJECT_ROOT


def send(rasa_port: str, sender: str, text: str, token: str = "") -> list[dict[str, Any]]:
    """Post one message to the REST channel and return the bot's messages."""
    body = json.dumps({"sender": sender, "message": text}).encode()
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(f"http://127.0.0.1:{rasa_port}/webhooks/rest/webhook", data=body, headers=headers)
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 (local URL)
        messages: list[dict[str, Any]] = json.loads(response.read().decode())
        return messages


def main() -> int:
    """Start the stack quietly and run a prompt loop."""
    env = dict(os.environ)
    env.setdefault("RASA_PORT", free_port_str())
    env.setdefault("ACTION_PORT", free_port_str())
    # This private stack's REST channel is on even in deployment mode, with a one-off token.
    env.setdefault("REST_TOKEN", secrets.token_urlsafe(24))
    logs: list[str] = []
    stack = Stack(
        env=env, model=model_path(PROJECT_ROOT / "models"), write=logs.append, with_console=False, with_worker=False
    )
    print("Démarrage de l'assistant (environ 30 s)...")
    try:
        stack.start()
    except Exception as exc:  # noqa: BLE001 (show the child logs, whatever went wrong)
        print("\n".join(logs[-30:]), file=sys.stderr)
        print(f"ERROR: {exc}", file=sys.stderr)
        stack.stop()
        return 1
    print("Écrivez vos messages (Ctrl-D ou /quit pour sortir).")
    sender = f"shell-{os.getpid()}"
    try:
        while True:
            try:
                text = input("vous > ").strip()
            except EOFError:
                break
            if text in {"/quit", "/exit"}:
                break
            if not text:
                continue
            for message in send(stack.env["RASA_PORT"], sender, text, stack.env["REST_TOKEN"]):
                if message.get("text"):
                    print(f"bot  > {message['text']}")
                for index, button in enumerate(message.get("buttons") or [], start=1):
                    print(f"       {index}. {button.get('title')}")
    except KeyboardInterrupt:
        pass
    finally:
        stack.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
