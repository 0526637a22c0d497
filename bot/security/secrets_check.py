"""Refuse placeholder or weak secrets at start, and generate the missing ones into 0600 files."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path

from bot.settings import ConfigError

MIN_SECRET_CHARS = 16
# Secrets an operator sets (or we generate); each is checked when present.
SECRET_VARS = (
    "RASA_TOKEN",
    "CONSOLE_SECRET",
    "REST_TOKEN",
    "ACTION_TOKEN",
    "TWILIO_AUTH_TOKEN",
    "TELEGRAM_BOT_TOKEN",
    "TELEGRAM_WEBHOOK_SECRET",
)
# Words found in documentation placeholders (.env.example, tutorials); never in a generated secret.
PLACEHOLDER_MARKERS = (
    "change-me",
    "changeme",
    "change_me",
    "your-",
    "your_",
    "example",
    "xxxxxx",
    "placeholder",
    "secret-here",
    "a-long-random",
    "password",
)


def secret_problem(value: str) -> str:
    """Why ``value`` is not acceptable as a secret ("" when it is)."""
    lowered = value.lower()
    for marker in PLACEHOLDER_MARKERS:
        if marker in lowered:
            return f"looks like a placeholder (contains {marker!r})"
    if len(value) < MIN_SECRET_CHARS:
        return f"is too short ({len(value)} characters, at least {MIN_SECRET_CHARS})"
    if len(set(value)) < 6:
        return "has too few different characters"
    return ""


def check_secrets(env: Mapping[str, str]) -> None:
    """Raise ConfigError naming every placeholder or weak secret in ``env``."""
    problems = []
    for name in SECRET_VARS:
        value = env.get(name, "").strip()
        if value:
            problem = secret_problem(value)
            if problem:
                problems.append(f"{name} {problem}")
    if problems:
        raise ConfigError(
            "refusing to start with weak secrets: "
            + "; ".join(problems)
            + ". Unset RASA_TOKEN, CONSOLE_SECRET or ACTION_TOKEN to have them generated, or set real values "
            "(python3 -c 'import secrets; print(secrets.token_urlsafe(32))')."
        )


def write_private(path: Path, text: str) -> None:
    """Write ``text`` to a file only its owner can read (created 0600, never world-readable)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    path.chmod(0o600)


def generated_secret(path: Path, nbytes: int = 32) -> str:
    """The secret stored in ``path``, created (0600) on first use; permissions tightened if needed."""
    if not path.exists() or not path.read_text(encoding="utf-8").strip():
        write_private(path, secrets.token_urlsafe(nbytes))
    if path.stat().st_mode & 0o077:
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()
