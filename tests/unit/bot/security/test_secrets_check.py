"""Placeholder and weak secrets refuse to start; generated secrets are private files (issue 9, finding 3)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from bot.ops.stack import Stack
from bot.security.secrets_check import check_secrets, generated_secret, secret_problem
from bot.settings import PROJECT_ROOT, ConfigError


def _example_env() -> dict[str, str]:
    pairs = (line.split("=", 1) for line in (PROJECT_ROOT / ".env.example").read_text().splitlines() if "=" in line)
    return {k.strip(): v.strip() for k, v in pairs if not k.startswith("#")}


@pytest.mark.parametrize(
    "value", ["change-me", "change-me-too", "your-auth-token", "a-long-random-secret", "123456:ABC-your-bot-token"]
)
def test_placeholders_are_refused(value: str) -> None:
    assert secret_problem(value)


def test_short_or_repetitive_secrets_are_refused_and_generated_ones_pass() -> None:
    assert "too short" in secret_problem("abcdef123")
    assert secret_problem("aaaaaaaaaaaaaaaaaaaa")
    assert secret_problem("q8Vt3-LmZ0pR_7yXc2Nw") == ""


def test_every_secret_of_env_example_is_refused_with_its_name() -> None:
    env = {**_example_env(), "RASA_TOKEN": "change-me", "CONSOLE_SECRET": "change-me-too", "REST_TOKEN": "short"}
    with pytest.raises(ConfigError) as error:
        check_secrets(env)
    for name in ("RASA_TOKEN", "CONSOLE_SECRET", "REST_TOKEN"):
        assert name in str(error.value)


def test_the_stack_refuses_to_start_before_starting_anything(tmp_path: Path) -> None:
    stack = Stack(env={"RASA_TOKEN": "change-me", "PIMMS_DATA_DIR": str(tmp_path)}, model=tmp_path / "m.tar.gz")
    with pytest.raises(ConfigError, match="RASA_TOKEN looks like a placeholder"):
        stack.prepare()
    assert stack.embedded_redis is None and stack.processes == {}


def test_generated_secret_is_a_0600_file_reused_across_starts(tmp_path: Path) -> None:
    path = tmp_path / "var" / "token"
    first = generated_secret(path)
    assert len(first) >= 32 and secret_problem(first) == ""
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    path.chmod(0o644)
    assert generated_secret(path) == first
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
