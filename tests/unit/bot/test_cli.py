import os

import bot.__main__ as cli


def test_commands_find_the_embedded_redis_server(tmp_path, monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.setenv("PIMMS_DATA_DIR", str(tmp_path))
    (tmp_path / "redis.url").write_text("redis://127.0.0.1:41234/0\n", encoding="utf-8")
    cli._use_embedded_redis()
    assert os.environ["REDIS_URL"] == "redis://127.0.0.1:41234/0"


def test_redis_url_from_the_environment_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("REDIS_URL", "redis://example:6379/0")
    monkeypatch.setenv("PIMMS_DATA_DIR", str(tmp_path))
    (tmp_path / "redis.url").write_text("redis://127.0.0.1:41234/0", encoding="utf-8")
    cli._use_embedded_redis()
    assert os.environ["REDIS_URL"] == "redis://example:6379/0"


def test_help_lists_the_commands(capsys):
    assert cli.main(["--help"]) == 0
    out = capsys.readouterr().out
    for name in ("run", "bookings", "mediators", "kb-review", "telegram-webhook"):
        assert name in out


def test_unknown_command_is_an_error(capsys):
    assert cli.main(["nope"]) == 2
